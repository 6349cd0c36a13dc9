package io.berth.common.oci;

import java.util.Locale;
import java.util.Objects;

import io.berth.common.error.BerthException;
import io.berth.common.error.ErrorKind;

/**
 * The platform an image is for, in the OCI image spec's words and field order. {@link #current} maps the JVM's
 * {@code os.arch} to the Go names registries use ({@code amd64}, {@code arm64}).
 *
 * @param variant null when unspecified (arm64's {@code v8} is the default and matches no variant too)
 */
public record Platform(String architecture, String os, String variant) {

    /** This machine's platform. */
    public static Platform current() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String goArch = switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
        return new Platform(goArch, "linux", null);
    }

    /**
     * Parses {@code os/arch[/variant]}, as docker's {@code --platform} takes it.
     *
     * @throws BerthException ({@link ErrorKind#INVALID}) for anything else
     */
    public static Platform parse(String value) {
        String[] parts = value.toLowerCase(Locale.ROOT).split("/");
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new BerthException(ErrorKind.INVALID, "invalid platform: " + value + " (expected os/arch[/variant])");
        }
        return new Platform(parts[1], parts[0], parts.length == 3 ? parts[2] : null);
    }

    /** Whether an image (or an index entry) for {@code candidate} runs on this platform. */
    public boolean matches(Platform candidate) {
        if (!Objects.equals(os, candidate.os()) || !Objects.equals(architecture, candidate.architecture())) {
            return false;
        }
        if (variant == null) {
            return candidate.variant() == null || candidate.variant().isEmpty()
                    || ("arm64".equals(architecture) && candidate.variant().equals("v8"));
        }
        return variant.equals(candidate.variant());
    }

    /** {@code os/arch[/variant]}. */
    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
