package io.fleetkit.build;

import java.io.IOException;

/** The generated init (see {@link InitScripts}), written once every service, the agent included, is known. */
final class WriteInitStep implements BuildStep {

    @Override
    public String name() {
        return "init";
    }

    @Override
    public void run(BuildContext c) throws IOException {
        RootTree root = c.root;
        root.file("init", 0755, AssembleRootfsStep.utf8(InitScripts.stageOne()));
        root.file("etc/inittab", 0644, AssembleRootfsStep.utf8(InitScripts.inittab(c.spec, c.services())));
        root.file(InitScripts.DIR + "/rc.boot", 0755,
                AssembleRootfsStep.utf8(InitScripts.rcBoot(c.spec, c.kernel.tree().version(), c.modulePaths)));
        root.file(InitScripts.DIR + "/supervise", 0755, AssembleRootfsStep.utf8(InitScripts.supervise()));
        root.file(InitScripts.DIR + "/ready", 0755, AssembleRootfsStep.utf8(InitScripts.ready(c.spec, c.services())));
        root.file(InitScripts.DIR + "/rc.shutdown", 0755, AssembleRootfsStep.utf8(InitScripts.rcShutdown(c.spec, c.services())));
        root.file(InitScripts.DIR + "/udhcpc.script", 0755, AssembleRootfsStep.utf8(InitScripts.udhcpcScript()));
        c.report.put("rootfsBytes", root.contentBytes());
        c.report.put("rootfsEntries", root.entries().size());
    }
}
