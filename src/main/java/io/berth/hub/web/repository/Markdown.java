package io.berth.hub.web.repository;

import java.util.List;

import org.commonmark.node.Link;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.DefaultUrlSanitizer;
import org.commonmark.renderer.html.HtmlRenderer;
import org.springframework.stereotype.Component;

/**
 * Descriptions and READMEs as HTML. Their authors are anyone who may change a repository, their readers everyone who
 * may see it: HTML in the Markdown is shown as text rather than passed on, link and image addresses keep only http,
 * https and mailto (no {@code javascript:}, no {@code data:} documents), and links carry {@code rel="nofollow
 * noopener"} so that a README lends no ranking to spam and a linked page gets no handle on this one.
 */
@Component
class Markdown {

    private final Parser parser = Parser.builder().build();
    private final HtmlRenderer renderer = HtmlRenderer.builder()
            .escapeHtml(true)
            .sanitizeUrls(true)
            .urlSanitizer(new DefaultUrlSanitizer(List.of("http", "https", "mailto")))
            .attributeProviderFactory(context -> (node, tagName, attributes) -> {
                if (node instanceof Link) {
                    attributes.put("rel", "nofollow noopener");
                }
            })
            .build();

    /** Safe HTML for the text; empty for none. */
    String toHtml(String markdown) {
        if (markdown == null || markdown.isBlank()) {
            return "";
        }
        return renderer.render(parser.parse(markdown));
    }
}
