package io.berth.hub.web.repository;

import java.util.List;

/**
 * One page of a repository search.
 *
 * @param count every repository the search matches, on all pages
 * @param page  the page number, from 1
 * @param size  the most results a page holds
 */
record RepositoryPage(long count, int page, int size, List<RepositorySummary> results) {
}
