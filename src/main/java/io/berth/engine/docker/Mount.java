package io.berth.engine.docker;

import java.util.List;
import java.util.Map;

/**
 * One of HostConfig.Mounts ({@code --mount}): a {@code bind}, {@code volume} or {@code tmpfs} mount at {@code Target}.
 * Written without its empty fields, as dockerd writes it.
 */
@DockerJson
public record Mount(@OmitEmpty String type, @OmitEmpty String source, @OmitEmpty String target,
        @ZeroWhenNull @OmitEmpty boolean readOnly, @OmitEmpty String consistency, @OmitEmpty BindOptions bindOptions,
        @OmitEmpty VolumeOptions volumeOptions, @OmitEmpty TmpfsOptions tmpfsOptions) {

    /** Options of a bind mount. */
    @DockerJson
    public record BindOptions(@OmitEmpty String propagation, @ZeroWhenNull @OmitEmpty boolean nonRecursive,
            @ZeroWhenNull @OmitEmpty boolean createMountpoint, @ZeroWhenNull @OmitEmpty boolean readOnlyNonRecursive,
            @ZeroWhenNull @OmitEmpty boolean readOnlyForceRecursive) {
    }

    /** Options of a volume mount. */
    @DockerJson
    public record VolumeOptions(@ZeroWhenNull @OmitEmpty boolean noCopy, @OmitEmpty Map<String, String> labels,
            @OmitEmpty String subpath, @OmitEmpty VolumeDriver driverConfig) {

        public VolumeOptions {
            labels = Copies.map(labels);
        }
    }

    /** The driver a volume mount's volume is created with. */
    @DockerJson
    public record VolumeDriver(@OmitEmpty String name, @OmitEmpty Map<String, String> options) {

        public VolumeDriver {
            options = Copies.map(options);
        }
    }

    /** Options of a tmpfs mount: its size in bytes and its mode (the permission bits, a number). */
    @DockerJson
    public record TmpfsOptions(@ZeroWhenNull @OmitEmpty long sizeBytes, @ZeroWhenNull @OmitEmpty long mode,
            @OmitEmpty List<List<String>> options) {

        public TmpfsOptions {
            options = options == null ? null : Copies.list(options.stream().map(Copies::list).toList());
        }
    }
}
