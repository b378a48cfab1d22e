package io.fleetkit.netboot;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace joined to the host by a veth pair, for tests with real DHCP clients and
 * servers: the host side gets {@code hostCidr}, the namespace side is up without an address.
 * Needs root (CAP_NET_ADMIN) and iproute2.
 */
final class NetworkNamespace implements AutoCloseable {

    final String name;
    final String hostIf;
    final String nsIf;
    private final String ip;

    NetworkNamespace(String hostCidr) throws IOException, InterruptedException {
        ip = HostTool.require("ip", "iproute2");
        int id = ThreadLocalRandom.current().nextInt(100000, 999999);
        name = "fk" + id;
        hostIf = "fkh" + id;
        nsIf = "fkn" + id;
        try {
            must("netns", "add", name);
            must("link", "add", hostIf, "type", "veth", "peer", "name", nsIf);
            must("link", "set", nsIf, "netns", name);
            must("addr", "add", hostCidr, "dev", hostIf);
            must("link", "set", hostIf, "up");
            inside(ip, "link", "set", "lo", "up");
            inside(ip, "link", "set", nsIf, "up");
        } catch (AssertionError | IOException e) {
            close();
            throw new AssertionError("cannot make a network namespace (needs root and iproute2): " + e.getMessage(), e);
        }
    }

    /** Runs a command inside the namespace and checks it succeeds. */
    HostTool.Result inside(String... command) throws IOException, InterruptedException {
        return HostTool.runOk(null, insideCommand(command));
    }

    List<String> insideCommand(String... command) {
        List<String> cmd = new ArrayList<>(List.of(ip, "netns", "exec", name));
        cmd.addAll(List.of(command));
        return cmd;
    }

    private void must(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ip));
        cmd.addAll(List.of(args));
        HostTool.runOk(null, cmd);
    }

    @Override
    public void close() {
        // Results unchecked on purpose: close also cleans up after a constructor that failed half-way, when the link
        // or the namespace may not exist; deleting the namespace also removes the veth pair, so the first may fail.
        try {
            HostTool.run(null, List.of(ip, "link", "del", hostIf));
            HostTool.run(null, List.of(ip, "netns", "del", name));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not remove namespace " + name, e);
        }
    }
}
