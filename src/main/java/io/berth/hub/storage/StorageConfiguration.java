package io.berth.hub.storage;

import java.io.IOException;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.berth.common.BerthProperties;

@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    @Bean
    FilesystemBlobStore blobStore(BerthProperties properties) throws IOException {
        return new FilesystemBlobStore(properties.dataDir());
    }
}
