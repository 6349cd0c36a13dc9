package io.berth.hub.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmbeddedDatabaseSettingsTest {

    @Test
    void anH2UrlWithoutWriteDelayGetsZero() {
        assertThat(EmbeddedDatabaseSettings.withWriteDelay("jdbc:h2:file:/srv/berth/db/berth;DB_CLOSE_ON_EXIT=FALSE"))
                .isEqualTo("jdbc:h2:file:/srv/berth/db/berth;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
    }

    @Test
    void aWriteDelayTheOperatorSetIsKept() {
        String url = "jdbc:h2:file:/srv/berth/db/berth;write_delay=200;DB_CLOSE_ON_EXIT=FALSE";
        assertThat(EmbeddedDatabaseSettings.withWriteDelay(url)).isEqualTo(url);
    }

    @Test
    void h2LogsThroughBerthUnlessTheUrlSaysOtherwise() {
        assertThat(EmbeddedDatabaseSettings.withTraceToLog("jdbc:h2:file:./data/db/berth"))
                .isEqualTo("jdbc:h2:file:./data/db/berth;TRACE_LEVEL_FILE=4");
        assertThat(EmbeddedDatabaseSettings.withTraceToLog("jdbc:h2:file:./data/db/berth;TRACE_LEVEL_FILE=2"))
                .isEqualTo("jdbc:h2:file:./data/db/berth;TRACE_LEVEL_FILE=2");
    }

    @Test
    void onlyH2DatabasesThatKeepFilesAreConcerned() {
        assertThat(EmbeddedDatabaseSettings.isEmbeddedH2File("jdbc:h2:file:./data/db/berth")).isTrue();
        assertThat(EmbeddedDatabaseSettings.isEmbeddedH2File("jdbc:h2:mem:test")).isFalse();
        assertThat(EmbeddedDatabaseSettings.isEmbeddedH2File("jdbc:postgresql://db/berth")).isFalse();
    }
}
