package io.fleetkit.ota.agent.install;

import java.net.URI;
import java.util.Optional;

/**
 * Reads the kernel command line of a netbooted system: {@code fleetkit.install=URL} names the signed
 * disk image the netboot server offers ({@code fleet netboot serve} adds it for images built with
 * {@code update.netboot_install}). A system booted from its disk ({@code fleetkit.disk=}) never installs.
 */
public final class InstallRequest {

    private InstallRequest() {
    }

    public static Optional<URI> from(String cmdline) {
        URI url = null;
        for (String word : cmdline.trim().split("\\s+")) {
            if (word.startsWith("fleetkit.disk=")) {
                return Optional.empty();
            }
            if (word.startsWith("fleetkit.install=")) {
                String value = word.substring("fleetkit.install=".length());
                if (value.startsWith("http://") || value.startsWith("https://")) {
                    url = URI.create(value);
                }
            }
        }
        return Optional.ofNullable(url);
    }
}
