package io.berth.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Keeps the data dir owner-only: password hashes, token keys and private images are in it, and nobody else on the
 * machine may read them.
 *
 * <p>Before anything is created (the environment is ready, no bean exists yet) the data dir is made, or made again,
 * 0700, and so are the directories Berth keeps its own files in, so that a data dir an older version left 0755 is
 * closed at the next start. Once started, the database's files get 0600: H2 creates them with the process's umask, and
 * the directory around them already keeps everyone else out. The blob store's files are not walked (there may be
 * millions); they are created owner-only and cannot be reached through a 0700 data dir anyway.
 *
 * <p>Registered in {@code META-INF/spring.factories}, because it must run before the database is opened.
 */
public final class DataDirPermissions implements ApplicationListener<ApplicationEvent> {

    private static final Logger log = LoggerFactory.getLogger(DataDirPermissions.class);

    /** The data dir's own directories, all Berth's: the Engine's tree is not among them and keeps its modes. */
    private static final List<String> OWN_DIRECTORIES = List.of("db", "blobs", "uploads", "keys", "tomcat");
    private static final String DATABASE_DIRECTORY = "db";

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            Path dataDir = dataDir(prepared.getEnvironment());
            try {
                OwnerOnly.createDirectories(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the data dir " + dataDir, e);
            }
            closeDirectories(dataDir);
        } else if (event instanceof ApplicationStartedEvent started) {
            // Again now that the database, the blob store and the web server have made theirs.
            Path dataDir = dataDir(started.getApplicationContext().getEnvironment());
            closeDirectories(dataDir);
            closeDatabaseFiles(dataDir);
        }
    }

    /** Takes group and other access from the data dir and from the directories in it that are Berth's own. */
    public static void closeDirectories(Path dataDir) {
        restrict(dataDir);
        for (String name : OWN_DIRECTORIES) {
            Path dir = dataDir.resolve(name);
            if (Files.isDirectory(dir)) {
                restrict(dir);
            }
        }
    }

    /** Makes every file in the database directory 0600. */
    public static void closeDatabaseFiles(Path dataDir) {
        Path dir = dataDir.resolve(DATABASE_DIRECTORY);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                restrict(file);
            }
        } catch (IOException e) {
            log.warn("Cannot list {} to make the database files owner-only: {}", dir, e.toString());
        }
    }

    /**
     * A path Berth may not change (another account owns it) is reported, not fatal: the operator who set the data dir
     * up that way can fix it, and refusing to start would take the registry down over it.
     */
    private static void restrict(Path path) {
        try {
            if (OwnerOnly.restrict(path)) {
                log.info("{} was open to other accounts on this machine; now only its owner may use it", path);
            }
        } catch (IOException e) {
            log.warn("{} is open to other accounts on this machine and Berth cannot change that: {}", path, e.toString());
        }
    }

    private static Path dataDir(Environment environment) {
        String configured = environment.getProperty("berth.data-dir");
        return new BerthProperties(configured == null ? null : Path.of(configured)).dataDir();
    }
}
