package io.berth.engine.image;

import java.util.Locale;

/**
 * An OS/architecture pair as OCI indexes name it. {@link #current} maps the JVM's {@code os.arch} to the Go names
 * registries use ({@code amd64}, {@code arm64}).
 *
 * @param variant null when unspecified (arm64's {@code v8} is the default and matches no variant too)
 */
public record Platform(String os, String architecture, String variant) {

    public static Platform current() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String goArch = switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
        return new Platform("linux", goArch, null);
    }

    /** Whether an index entry for {@code candidate} can run here. */
    public boolean matches(Platform candidate) {
        if (!os.equals(candidate.os()) || !architecture.equals(candidate.architecture())) {
            return false;
        }
        if (variant == null) {
            return candidate.variant() == null || candidate.variant().isEmpty()
                    || (architecture.equals("arm64") && candidate.variant().equals("v8"));
        }
        return variant.equals(candidate.variant());
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
