package io.berth.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.servlet.ConfigurableServletWebServerFactory;

/**
 * Gives the servlet container a document root inside the data dir. Without one, the container makes a fresh
 * {@code tomcat-docbase.*} directory in {@code java.io.tmpdir} at every start, and Berth writes nothing outside
 * its data dir. Applied to the application's server and, by the ops package, to the management server.
 */
public class DataDirWebServerCustomizer implements WebServerFactoryCustomizer<ConfigurableServletWebServerFactory> {

    private final Path documentRoot;

    public DataDirWebServerCustomizer(BerthProperties properties) {
        this.documentRoot = properties.dataDir().resolve("tomcat").resolve("docroot");
    }

    @Override
    public void customize(ConfigurableServletWebServerFactory factory) {
        try {
            factory.setDocumentRoot(Files.createDirectories(documentRoot).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + documentRoot, e);
        }
    }
}
