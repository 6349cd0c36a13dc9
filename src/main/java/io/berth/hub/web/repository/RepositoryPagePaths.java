package io.berth.hub.web.repository;

import java.util.regex.Pattern;

/**
 * Where the web UI's pages of a repository live. A name has any number of slashes, so a page below it is told apart
 * from a longer name as in the REST API: by a {@code /-/} separator, which no name contains
 * ({@code /r/acme/team/api/-/tags/1.0}). Names of exactly two segments, the usual {@code namespace/name}, also answer
 * without it ({@code /r/acme/api/tags/1.0}), and the pages link them that way.
 */
final class RepositoryPagePaths {

    static final String PREFIX = "/r/";
    static final String SEPARATOR = "/-/";

    /** What may follow a repository's name: its pages and the actions of its forms. */
    private static final Pattern SUB_PAGE = Pattern.compile("settings|star|delete|tags/[^/]+(?:/delete)?");

    /**
     * A request's repository and page.
     *
     * @param subPage what follows the name ({@code settings}, {@code tags/1.0}, ...), empty for the repository page
     */
    record Route(String name, String subPage) {
    }

    private RepositoryPagePaths() {
    }

    /** The route of what follows {@code /r/}. */
    static Route parse(String rest) {
        int separator = rest.indexOf(SEPARATOR);
        if (separator >= 0) {
            return new Route(rest.substring(0, separator), rest.substring(separator + SEPARATOR.length()));
        }
        if (rest.endsWith("/-")) {
            return new Route(rest.substring(0, rest.length() - 2), "");
        }
        String[] segments = rest.split("/", 3);
        if (segments.length == 3 && SUB_PAGE.matcher(segments[2]).matches()) {
            return new Route(segments[0] + "/" + segments[1], segments[2]);
        }
        return new Route(rest, "");
    }

    /** The repository's page. */
    static String page(String name) {
        String plain = PREFIX + name;
        // acme/app/settings, a name of its own, would read as the settings of acme/app without the separator
        return parse(name).name().equals(name) ? plain : plain + "/-";
    }

    /** A page below the repository's, such as {@code settings} or {@code tags/1.0}. */
    static String subPage(String name, String subPage) {
        boolean twoSegments = name.indexOf('/') > 0 && name.indexOf('/') == name.lastIndexOf('/');
        return (twoSegments ? PREFIX + name + "/" : PREFIX + name + SEPARATOR) + subPage;
    }
}
