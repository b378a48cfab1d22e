package io.fleetkit.spec;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A long-running, sandboxed service.
 *
 * @param uid default 0
 * @param gid default 0
 * @param capabilities canonical names ({@code CAP_NET_ADMIN}), sorted by number, no duplicates;
 *                     the whole bounding/effective set — empty (the default) means none
 * @param readonly read-only root for the service; default true
 * @param net default {@link NetMode#NONE}
 * @param restart default {@link RestartPolicy#ALWAYS}
 * @param image the service's own root from an OCI image archive (resolved, exists); empty = the image's root
 * @param env sorted by key
 */
public record ServiceSpec(
        String name,
        List<String> command,
        int uid,
        int gid,
        List<String> capabilities,
        boolean readonly,
        NetMode net,
        RestartPolicy restart,
        Optional<Path> image,
        Map<String, String> env,
        List<BindSpec> binds) {

    public ServiceSpec {
        Objects.requireNonNull(name);
        command = List.copyOf(command);
        capabilities = List.copyOf(capabilities);
        Objects.requireNonNull(net);
        Objects.requireNonNull(restart);
        Objects.requireNonNull(image);
        env = Collections.unmodifiableMap(new TreeMap<>(env));
        binds = List.copyOf(binds);
    }
}
