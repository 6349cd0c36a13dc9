package io.berth.hub.access;

import java.io.IOException;
import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

import io.berth.common.BerthProperties;
import io.berth.hub.HubProperties;
import io.berth.hub.access.token.SigningKeys;
import io.berth.hub.access.token.TokenIssuer;
import io.berth.hub.access.token.TokenSettings;
import io.berth.hub.access.token.TokenVerifier;

/** The token protocol's parts, from the settings: one key, one issuer, one verifier. */
@Configuration(proxyBeanMethods = false)
class AccessConfiguration {

    @Bean
    SigningKeys signingKeys(BerthProperties berth, HubProperties hub) throws IOException {
        return SigningKeys.load(berth.dataDir(), hub.token().signingKey());
    }

    @Bean
    TokenSettings tokenSettings(HubProperties hub) {
        return new TokenSettings(hub.token().issuer(), hub.token().service(), hub.token().lifetime());
    }

    @Bean
    TokenIssuer tokenIssuer(SigningKeys keys, TokenSettings settings, Clock clock) {
        return new TokenIssuer(keys, settings, clock);
    }

    @Bean
    TokenVerifier tokenVerifier(SigningKeys keys, TokenSettings settings, Clock clock) {
        return new TokenVerifier(keys, settings, clock);
    }

    /** bcrypt for new passwords; the delegating encoder reads the algorithm from each stored hash, so it can change. */
    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }
}
