package io.berth.hub.web.repository;

import io.berth.hub.HubException;

/**
 * Which page of a listing a request asks for: pages count from 1 and hold at most {@link #MAX_SIZE} entries, so that
 * no request, however large the listing, costs more than a page.
 */
record Paging(int page, int size) {

    static final int MAX_SIZE = 100;
    static final int DEFAULT_SIZE = 25;

    Paging {
        if (page < 1) {
            throw HubException.invalid("page counts from 1, not " + page);
        }
        if (size < 1 || size > MAX_SIZE) {
            throw HubException.invalid("size is between 1 and " + MAX_SIZE + ", not " + size);
        }
    }

    long offset() {
        return (long) (page - 1) * size;
    }

    /** Whether a listing of {@code count} entries goes on after this page. */
    boolean hasNext(long count) {
        return offset() + size < count;
    }
}
