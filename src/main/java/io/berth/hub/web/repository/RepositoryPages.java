package io.berth.hub.web.repository;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.berth.common.error.ErrorStatus;
import io.berth.hub.HubException;
import io.berth.hub.HubProperties;
import io.berth.hub.access.caller.Caller;
import io.berth.hub.web.PageController;

/**
 * The web UI's repository pages: explore, create, a repository with its tags, a tag's contents, settings. Each calls
 * the service the REST API's {@code RepositoryController} calls, so what a viewer sees and may do is the same in both;
 * a name's slashes reach {@code {name}} through {@link RepositoryPagePathFilter}.
 */
@Controller
class RepositoryPages extends PageController {

    private static final int PAGE_SIZE = 25;
    /** What a Host header may hold to be shown in a pull command: a name or address and a port. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+(?::\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](?::\\d{1,5})?");

    private final RepositoryManagement repositories;
    private final RepositoryTags tags;
    private final TagContents contents;
    private final Markdown markdown;
    private final HubProperties hub;

    RepositoryPages(RepositoryManagement repositories, RepositoryTags tags, TagContents contents, Markdown markdown,
                    HubProperties hub) {
        this.repositories = repositories;
        this.tags = tags;
        this.contents = contents;
        this.markdown = markdown;
        this.hub = hub;
    }

    /** A repository with what its page needs to link it. */
    record Named(String name, String namespace, String page, String settings, String star, String delete) {

        static Named of(String name, String namespace) {
            return new Named(name, namespace, RepositoryPagePaths.page(name),
                    RepositoryPagePaths.subPage(name, "settings"), RepositoryPagePaths.subPage(name, "star"),
                    RepositoryPagePaths.subPage(name, "delete"));
        }

        public String tag(String tag) {
            return RepositoryPagePaths.subPage(name, "tags/" + tag);
        }

        public String deleteTag(String tag) {
            return RepositoryPagePaths.subPage(name, "tags/" + tag + "/delete");
        }
    }

    @GetMapping("/")
    String explore(@RequestParam(required = false) String q, @RequestParam(defaultValue = "stars") String sort,
                   @RequestParam(defaultValue = "1") int page, Caller caller, Model model) {
        RepositoryPage results = repositories.search(caller,
                new RepositoryQuery(q, null, RepositoryQuery.Order.of(sort), page, PAGE_SIZE));
        model.addAttribute("q", q == null ? "" : q.strip());
        model.addAttribute("sort", sort.toLowerCase(Locale.ROOT));
        model.addAttribute("results", results);
        model.addAttribute("repositories", results.results().stream()
                .map(summary -> new Listed(summary, Named.of(summary.name(), summary.namespace()))).toList());
        model.addAttribute("previous", page > 1 ? exploreLink(q, sort, page - 1) : null);
        model.addAttribute("next", (long) page * PAGE_SIZE < results.count() ? exploreLink(q, sort, page + 1) : null);
        model.addAttribute("signedIn", !caller.anonymous());
        model.addAttribute("formats", Formats.INSTANCE);
        return "repository/explore";
    }

    /** A search result and its links. */
    record Listed(RepositorySummary repository, Named links) {
    }

    @GetMapping("/repositories/new")
    String newRepository(Caller caller, Model model) {
        if (caller.anonymous()) {
            return "redirect:/sign-in?next=%2Frepositories%2Fnew";
        }
        return newForm(caller, model, caller.username(), "", hub.defaultVisibility().wireName(), "");
    }

    @PostMapping("/repositories/new")
    String create(@RequestParam(defaultValue = "") String namespace, @RequestParam(defaultValue = "") String name,
                  @RequestParam(required = false) String visibility, @RequestParam(defaultValue = "") String description,
                  Caller caller, HttpServletRequest request, HttpServletResponse response, Model model,
                  RedirectAttributes redirect) {
        String fullName = namespace.strip() + "/" + name.strip();
        try {
            repositories.create(caller, request.getRemoteAddr(), fullName, visibility,
                    description.isBlank() ? null : description.strip());
        } catch (HubException e) {
            response.setStatus(ErrorStatus.of(e.kind()));
            model.addAttribute("error", e.getMessage());
            return newForm(caller, model, namespace, name, visibility, description);
        }
        redirect.addFlashAttribute("notice", "Created " + fullName + ".");
        return "redirect:" + RepositoryPagePaths.page(fullName);
    }

    private String newForm(Caller caller, Model model, String namespace, String name, String visibility,
                           String description) {
        model.addAttribute("namespaces", repositories.creatableNamespaces(caller));
        model.addAttribute("namespace", namespace);
        model.addAttribute("name", name);
        model.addAttribute("visibility", visibility == null ? hub.defaultVisibility().wireName() : visibility);
        model.addAttribute("description", description);
        return "repository/new";
    }

    @GetMapping("/r/{name}")
    String repository(@PathVariable String name, @RequestParam(defaultValue = "1") int page, Caller caller,
                      HttpServletRequest request, Model model) {
        RepositoryDetails details = repositories.get(caller, name);
        Paging paging = new Paging(page, Paging.DEFAULT_SIZE);
        TagPage tagPage = tags.list(caller, name, paging);
        boolean owner = "admin".equals(details.role());
        String host = host(request);
        // docker pulls :latest when no tag is named; without one, the line names the newest tag so that it works.
        String pullTag = tags.pullTag(caller, name).map(tag -> ":" + tag).orElse("");
        String here = RepositoryPagePaths.page(details.name());
        model.addAttribute("repository", details);
        model.addAttribute("links", Named.of(details.name(), details.namespace()));
        model.addAttribute("tagPage", tagPage);
        model.addAttribute("tags", tagPage.results());
        model.addAttribute("previousTags", page > 1 ? here + "?page=" + (page - 1) : null);
        model.addAttribute("nextTags", paging.hasNext(tagPage.count())
                ? here + "?page=" + (page + 1) : null);
        model.addAttribute("pull", "docker pull " + host + "/" + details.name() + pullTag);
        model.addAttribute("descriptionHtml", markdown.toHtml(details.description()));
        model.addAttribute("readmeHtml", markdown.toHtml(details.readme()));
        model.addAttribute("owner", owner);
        model.addAttribute("mayDelete", owner && hub.deleteEnabled());
        model.addAttribute("signedIn", !caller.anonymous());
        model.addAttribute("signIn", "/sign-in?next=" + URLEncoder.encode(here, StandardCharsets.UTF_8));
        model.addAttribute("formats", Formats.INSTANCE);
        return "repository/repository";
    }

    @GetMapping("/r/{name}/-/tags/{tag}")
    String tag(@PathVariable String name, @PathVariable String tag, Caller caller, HttpServletRequest request,
               Model model) {
        RepositoryDetails details = repositories.get(caller, name);
        model.addAttribute("repository", details);
        model.addAttribute("links", Named.of(details.name(), details.namespace()));
        model.addAttribute("tag", tag);
        model.addAttribute("manifest", contents.of(caller, name, tag));
        model.addAttribute("pull", "docker pull " + host(request) + "/" + details.name() + ":" + tag);
        model.addAttribute("formats", Formats.INSTANCE);
        return "repository/tag";
    }

    @PostMapping("/r/{name}/-/star")
    String star(@PathVariable String name, @RequestParam(defaultValue = "true") boolean star, Caller caller,
                RedirectAttributes redirect) {
        if (star) {
            repositories.star(caller, name);
        } else {
            repositories.unstar(caller, name);
        }
        redirect.addFlashAttribute("notice", (star ? "Starred " : "Unstarred ") + name + ".");
        return "redirect:" + RepositoryPagePaths.page(name);
    }

    @PostMapping("/r/{name}/-/tags/{tag}/delete")
    String deleteTag(@PathVariable String name, @PathVariable String tag, Caller caller, HttpServletRequest request,
                     RedirectAttributes redirect) {
        tags.delete(caller, request.getRemoteAddr(), name, tag);
        redirect.addFlashAttribute("notice", "Deleted tag " + tag + ".");
        return "redirect:" + RepositoryPagePaths.page(name);
    }

    @GetMapping("/r/{name}/-/settings")
    String settings(@PathVariable String name, Caller caller, Model model) {
        RepositoryDetails details = repositories.getForChange(caller, name);
        model.addAttribute("repository", details);
        model.addAttribute("links", Named.of(details.name(), details.namespace()));
        model.addAttribute("mayDelete", hub.deleteEnabled());
        return "repository/settings";
    }

    @PostMapping("/r/{name}/-/settings")
    String saveSettings(@PathVariable String name, @RequestParam(required = false) String visibility,
                        @RequestParam(required = false) String description,
                        @RequestParam(required = false) String readme, Caller caller, HttpServletRequest request,
                        RedirectAttributes redirect) {
        repositories.update(caller, request.getRemoteAddr(), name, description, readme, visibility);
        redirect.addFlashAttribute("notice", "Saved the settings of " + name + ".");
        return "redirect:" + RepositoryPagePaths.page(name);
    }

    @PostMapping("/r/{name}/-/delete")
    String delete(@PathVariable String name, Caller caller, HttpServletRequest request, RedirectAttributes redirect) {
        repositories.delete(caller, request.getRemoteAddr(), name);
        redirect.addFlashAttribute("notice", "Deleted " + name + ".");
        return "redirect:/";
    }

    private static String exploreLink(String q, String sort, int page) {
        return "/?q=" + URLEncoder.encode(q == null ? "" : q, StandardCharsets.UTF_8)
                + "&sort=" + URLEncoder.encode(sort, StandardCharsets.UTF_8) + "&page=" + page;
    }

    /** The registry's address as the browser reached it: the address docker should pull from too. */
    private static String host(HttpServletRequest request) {
        String host = request.getHeader("Host");
        if (host != null && HOST.matcher(host).matches()) {
            return host;
        }
        return request.getServerName() + ":" + request.getServerPort();
    }
}
