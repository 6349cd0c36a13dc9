package io.berth.hub.web.repository;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which repository and page a path under {@code /r/} names, and the links the pages write for each name. */
class RepositoryPagePathsTest {

    @Test
    void twoSegmentNamesTakeTheirPagesWithoutTheSeparator() {
        assertThat(RepositoryPagePaths.parse("acme/api")).isEqualTo(route("acme/api", ""));
        assertThat(RepositoryPagePaths.parse("acme/api/settings")).isEqualTo(route("acme/api", "settings"));
        assertThat(RepositoryPagePaths.parse("acme/api/tags/1.0")).isEqualTo(route("acme/api", "tags/1.0"));
        assertThat(RepositoryPagePaths.parse("acme/api/tags/1.0/delete")).isEqualTo(route("acme/api", "tags/1.0/delete"));
        assertThat(RepositoryPagePaths.page("acme/api")).isEqualTo("/r/acme/api");
        assertThat(RepositoryPagePaths.subPage("acme/api", "tags/1.0")).isEqualTo("/r/acme/api/tags/1.0");
    }

    @Test
    void otherNamesAreSeparatedFromTheirPages() {
        assertThat(RepositoryPagePaths.parse("acme/team/api")).isEqualTo(route("acme/team/api", ""));
        assertThat(RepositoryPagePaths.parse("acme/team/api/-/tags/v1")).isEqualTo(route("acme/team/api", "tags/v1"));
        assertThat(RepositoryPagePaths.parse("busybox/-/settings")).isEqualTo(route("busybox", "settings"));
        assertThat(RepositoryPagePaths.subPage("acme/team/api", "tags/v1")).isEqualTo("/r/acme/team/api/-/tags/v1");
        assertThat(RepositoryPagePaths.subPage("busybox", "settings")).isEqualTo("/r/busybox/-/settings");
    }

    @Test
    void everyLinkLeadsBackToItsOwnRepositoryAndPage() {
        for (String name : new String[] {"acme/api", "busybox", "acme/team/api", "acme/app/settings", "acme/app/tags/x",
                "acme/settings", "a/b/c/d/e"}) {
            assertThat(RepositoryPagePaths.parse(RepositoryPagePaths.page(name).substring(3))).as(name)
                    .isEqualTo(route(name, ""));
            for (String page : new String[] {"settings", "star", "delete", "tags/v1", "tags/v1/delete"}) {
                assertThat(RepositoryPagePaths.parse(RepositoryPagePaths.subPage(name, page).substring(3)))
                        .as(name + " " + page).isEqualTo(route(name, page));
            }
        }
    }

    private static RepositoryPagePaths.Route route(String name, String subPage) {
        return new RepositoryPagePaths.Route(name, subPage);
    }
}
