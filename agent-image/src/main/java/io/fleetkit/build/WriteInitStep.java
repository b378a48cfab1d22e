package io.fleetkit.build;

import io.fleetkit.packages.BoardKernel;
import io.fleetkit.spec.ServiceSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The generated init (see {@link InitScripts}), written once every service, the agent included, is known. */
final class WriteInitStep implements BuildStep<RootFilesystem> {

    private final BuildInputs in;
    private final AssembledRoot root;
    private final BoardKernel kernel;
    private final List<ServiceSpec> services;

    /**
     * @param agent    the update agent's service, when the image has one
     * @param settings what the image does with per-device settings, the Wi-Fi supplicant's service among it
     */
    WriteInitStep(BuildInputs in, AssembledRoot root, BoardKernel kernel, Optional<AgentService> agent,
                  DeviceSettingsSupport settings) {
        this.in = in;
        this.root = root;
        this.kernel = kernel;
        this.services = services(in, agent, settings);
    }

    /** Every service init starts: the spec's, then the update agent, then the Wi-Fi supplicant. */
    private static List<ServiceSpec> services(BuildInputs in, Optional<AgentService> agent, DeviceSettingsSupport settings) {
        List<ServiceSpec> all = new ArrayList<>(in.spec().services());
        agent.ifPresent(a -> all.add(a.service()));
        settings.wifiService().ifPresent(all::add);
        return all;
    }

    @Override
    public String name() {
        return "init";
    }

    @Override
    public RootFilesystem run() throws IOException {
        RootTree tree = root.tree();
        tree.file("init", 0755, AssembleRootfsStep.utf8(InitScripts.stageOne()));
        tree.file("etc/inittab", 0644, AssembleRootfsStep.utf8(InitScripts.inittab(in.spec(), services)));
        tree.file(InitScripts.DIR + "/rc.boot", 0755,
                AssembleRootfsStep.utf8(InitScripts.rcBoot(in.spec(), kernel.tree().version(), root.modulePaths())));
        tree.file(InitScripts.DIR + "/supervise", 0755, AssembleRootfsStep.utf8(InitScripts.supervise()));
        tree.file(InitScripts.DIR + "/ready", 0755, AssembleRootfsStep.utf8(InitScripts.ready(in.spec(), services)));
        tree.file(InitScripts.DIR + "/rc.shutdown", 0755, AssembleRootfsStep.utf8(InitScripts.rcShutdown(in.spec(), services)));
        tree.file(InitScripts.DIR + "/udhcpc.script", 0755, AssembleRootfsStep.utf8(InitScripts.udhcpcScript()));
        return new RootFilesystem(tree, tree.contentBytes(), tree.entries().size());
    }
}
