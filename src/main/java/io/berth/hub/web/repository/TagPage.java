package io.berth.hub.web.repository;

import java.util.List;

/**
 * One page of a repository's tags, in the shape of the other listings of the REST API.
 *
 * @param count every tag of the repository, on all pages
 * @param page  the page number, from 1
 * @param size  the most tags a page holds
 */
record TagPage(long count, int page, int size, List<Tag> results) {
}
