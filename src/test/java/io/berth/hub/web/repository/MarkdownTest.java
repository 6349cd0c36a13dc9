package io.berth.hub.web.repository;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** READMEs render as Markdown with nothing in them that a browser would run. */
class MarkdownTest {

    private final Markdown markdown = new Markdown();

    @Test
    void htmlIsTextAndDangerousAddressesAreDropped() {
        String html = markdown.toHtml("<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
                + "[x](javascript:alert(3)) [y](data:text/html,<script>alert(4)</script>) ![z](JaVaScRiPt:alert(5))\n\n"
                + "inline <span onclick=\"alert(6)\">span</span>\n\n- in a list: <script>alert(7)</script>");
        assertThat(html).contains("&lt;script&gt;", "&lt;img src=x onerror=alert(2)&gt;", "&lt;span onclick=")
                .doesNotContain("<script", "<img src=\"x\"", "<span")
                .doesNotContainPattern("(?i)(href|src)=\"\\s*(javascript|data):");
    }

    @Test
    void markdownStillRendersWithSafeLinks() {
        assertThat(markdown.toHtml("## Use\n\nRun `app` — see [docs](https://example.com/docs) or [here](#use)."))
                .contains("<h2>Use</h2>", "<code>app</code>",
                        "<a rel=\"nofollow noopener\" href=\"https://example.com/docs\">docs</a>",
                        "<a rel=\"nofollow noopener\" href=\"#use\">here</a>");
        assertThat(markdown.toHtml(null)).isEmpty();
        assertThat(markdown.toHtml("  ")).isEmpty();
    }
}
