package io.berth.hub.web.admin;

import java.util.Locale;

import org.springframework.stereotype.Component;

/**
 * Sizes as people read them, for the pages ({@code ${@byteSizes.human(bytes)}}): binary units, one decimal, so
 * 1536 bytes read "1.5 KiB". Pages keep the exact count next to it (a title attribute).
 */
@Component("byteSizes")
public class ByteSizes {

    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    public String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
