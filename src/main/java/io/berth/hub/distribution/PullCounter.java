package io.berth.hub.distribution;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import jakarta.annotation.PreDestroy;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Counts pulls per repository: one per manifest GET by tag or digest, as Docker Hub counts them. Counts gather in
 * memory and are added to the database every few seconds, so that serving a manifest never waits for a row lock that
 * every other pull of the same repository wants too; a crash loses at most those few seconds of counts.
 */
@Component
class PullCounter {

    private final JdbcTemplate jdbc;
    private final Map<Long, LongAdder> pending = new ConcurrentHashMap<>();

    PullCounter(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void count(long repositoryId) {
        pending.computeIfAbsent(repositoryId, id -> new LongAdder()).increment();
    }

    @Scheduled(fixedDelayString = "${berth.hub.pull-count-flush-interval:5s}")
    @PreDestroy
    void flush() {
        // Adders stay in the map (one per repository pulled): a pull counted while its adder is read lands in the next
        // flush instead of getting lost between a removal and a read.
        for (Map.Entry<Long, LongAdder> entry : pending.entrySet()) {
            long pulls = entry.getValue().sumThenReset();
            Long repositoryId = entry.getKey();
            if (pulls > 0) {
                // A repository deleted meanwhile matches no row; its pulls go with it.
                jdbc.update("UPDATE repository SET pull_count = pull_count + ? WHERE id = ?", pulls, repositoryId);
            }
        }
    }
}
