package io.fleetkit.build;

import io.fleetkit.json.JsonWriter;
import io.fleetkit.spec.BindSpec;
import io.fleetkit.spec.ServiceSpec;
import java.io.IOException;
import java.util.Map;

/**
 * A service's directory under {@code /etc/fleetkit/services/NAME}, as the supervisor reads it:
 * {@code config.json} (the OCI runtime config), {@code root} (the root it runs in, made by the
 * supervisor when it is a bind of the system root) and {@code bind-sources} (one a line; those on
 * /data, /run or /tmp are made before it starts), plus marker files some services carry.
 */
final class ServiceBundle {

    static final String DIR = InitScripts.DIR + "/services";

    private ServiceBundle() {
    }

    /** Writes the service's directory and returns its path in the tree. */
    static String write(RootTree tree, ServiceSpec service, String rootPath, Map<String, Object> config) throws IOException {
        String bundle = DIR + "/" + service.name();
        StringBuilder sources = new StringBuilder();
        for (BindSpec b : service.binds()) {
            sources.append(b.source()).append('\n');
        }
        tree.file(bundle + "/bind-sources", 0644, AssembleRootfsStep.utf8(sources.toString()));
        tree.file(bundle + "/config.json", 0644, AssembleRootfsStep.utf8(JsonWriter.writePretty(config)));
        tree.file(bundle + "/root", 0644, AssembleRootfsStep.utf8(rootPath + "\n"));
        return bundle;
    }

    /** The root of a service without an image of its own: a bind of the system root, made by the supervisor. */
    static String systemRoot(String name) {
        return "/run/fleetkit/svc/" + name + "/rootfs";
    }
}
