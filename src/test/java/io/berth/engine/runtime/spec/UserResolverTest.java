package io.berth.engine.runtime.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserResolverTest {

    @TempDir
    Path temp;

    Path rootfs;

    @BeforeEach
    void image() throws IOException {
        rootfs = Files.createDirectories(temp.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/sh
                daemon:x:1:1:daemon:/usr/sbin:/bin/false

                app:x:1000:1000:App:/home/app:/bin/sh
                """);
        Files.writeString(rootfs.resolve("etc/group"), """
                root:x:0:
                wheel:x:10:root,app
                audio:x:29:app
                app:x:1000:
                """);
    }

    @Test
    void emptyIsRootWithItsGroupsAndHome() throws IOException {
        ResolvedUser user = UserResolver.resolve(rootfs, "", null);
        assertThat(user).isEqualTo(new ResolvedUser(0, 0, List.of(0, 10), "/root"));
        assertThat(UserResolver.resolve(rootfs, null, null)).isEqualTo(user);
    }

    @Test
    void aNameGivesItsIdsMembershipsAndHome() throws IOException {
        assertThat(UserResolver.resolve(rootfs, "app", null))
                .isEqualTo(new ResolvedUser(1000, 1000, List.of(1000, 10, 29), "/home/app"));
    }

    @Test
    void aNumberIsLookedUpAndNeedsNoEntry() throws IOException {
        assertThat(UserResolver.resolve(rootfs, "1000", null).home()).isEqualTo("/home/app");
        assertThat(UserResolver.resolve(rootfs, "4242", null))
                .isEqualTo(new ResolvedUser(4242, 0, List.of(0), "/"));
    }

    @Test
    void anExplicitGroupReplacesTheMemberships() throws IOException {
        assertThat(UserResolver.resolve(rootfs, "app:audio", null))
                .isEqualTo(new ResolvedUser(1000, 29, List.of(29), "/home/app"));
        assertThat(UserResolver.resolve(rootfs, "1000:5000", null))
                .isEqualTo(new ResolvedUser(1000, 5000, List.of(5000), "/home/app"));
        assertThat(UserResolver.resolve(rootfs, "4242:wheel", null).gid()).isEqualTo(10);
    }

    @Test
    void groupAddTakesNamesAndNumbers() throws IOException {
        assertThat(UserResolver.resolve(rootfs, "daemon", List.of("audio", "7777", "10")).additionalGids())
                .containsExactly(1, 29, 7777, 10);
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "daemon", List.of("nosuch")))
                .isInstanceOf(InvalidContainerSettingsException.class)
                .hasMessage("Unable to find group nosuch");
    }

    @Test
    void unknownNamesFailInDockersWords() {
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "foo", null))
                .isInstanceOf(InvalidContainerSettingsException.class)
                .hasMessage("unable to find user foo: no matching entries in passwd file");
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "app:nogroup", null))
                .hasMessage("unable to find group nogroup: no matching entries in group file");
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "-1", null))
                .hasMessage("uids and gids must be in range 0-2147483647");
    }

    @Test
    void withoutPasswdOnlyNumbersWork() throws IOException {
        Path scratch = Files.createDirectories(temp.resolve("scratch"));
        assertThat(UserResolver.resolve(scratch, "", null)).isEqualTo(new ResolvedUser(0, 0, List.of(0), "/"));
        assertThat(UserResolver.resolve(scratch, "65534:65534", null))
                .isEqualTo(new ResolvedUser(65534, 65534, List.of(65534), "/"));
        assertThatThrownBy(() -> UserResolver.resolve(scratch, "nobody", null))
                .hasMessage("unable to find user nobody: no matching entries in passwd file");
    }

    @Test
    void aPasswdLinkOutOfTheRootfsIsNotFollowedOut() throws IOException {
        Path host = Files.writeString(temp.resolve("host-passwd"), "foo:x:0:0:host:/host:/bin/sh\n");
        Path evil = Files.createDirectories(temp.resolve("evil/etc"));
        Files.createSymbolicLink(evil.resolve("passwd"), host.toAbsolutePath());
        Files.createSymbolicLink(evil.resolve("group"), Path.of("../../../../../../.." + host.toAbsolutePath()));

        assertThatThrownBy(() -> UserResolver.resolve(temp.resolve("evil"), "foo", null))
                .hasMessage("unable to find user foo: no matching entries in passwd file");
        assertThat(RootfsPaths.resolve(temp.resolve("evil"), "/etc/passwd"))
                .isEqualTo(temp.resolve("evil").toAbsolutePath().resolve(host.toAbsolutePath().toString().substring(1)));
        assertThat(RootfsPaths.resolve(temp.resolve("evil"), "/etc/group").startsWith(temp.resolve("evil")))
                .isTrue();
    }

    @Test
    void aLinkInsideTheRootfsIsFollowedWithinIt() throws IOException {
        Path image = Files.createDirectories(temp.resolve("linked"));
        Files.createDirectories(image.resolve("usr/share/etc"));
        Files.writeString(image.resolve("usr/share/etc/passwd"), "svc:x:77:88::/srv:/bin/sh\n");
        Files.createSymbolicLink(image.resolve("etc"), Path.of("/usr/share/etc"));

        assertThat(UserResolver.resolve(image, "svc", null)).isEqualTo(new ResolvedUser(77, 88, List.of(88), "/srv"));
    }
}
