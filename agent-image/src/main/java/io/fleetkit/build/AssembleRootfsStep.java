package io.fleetkit.build;

import io.fleetkit.board.BootloaderKind;
import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.events.Event;
import io.fleetkit.json.JsonWriter;
import io.fleetkit.kernel.KernelModule;
import io.fleetkit.packages.BoardKernel;
import io.fleetkit.packages.DebDataCache;
import io.fleetkit.spec.FileSpec;
import io.fleetkit.spec.ServiceSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the root filesystem in memory: the userland packages (kernel and firmware packages
 * excluded), the module closure, the generated init and service sandboxes, and the spec's files
 * last, so the spec can override anything.
 */
final class AssembleRootfsStep implements BuildStep<AssembledRoot> {

    private final BuildInputs in;
    private final ResolvedPackages packages;
    private final BoardKernel kernel;

    AssembleRootfsStep(BuildInputs in, ResolvedPackages packages, BoardKernel kernel) {
        this.in = in;
        this.packages = packages;
        this.kernel = kernel;
    }

    @Override
    public String name() {
        return "rootfs";
    }

    @Override
    public AssembledRoot run() throws IOException {
        RootTree root = new RootTree();
        for (String d : List.of("proc", "sys", "dev", "run", "tmp", "var", "data", "newroot", "root", "etc")) {
            root.directory(d, 0755);
        }
        root.replace("root", new RootEntry.Directory(0700, 0, 0));
        root.put("dev/console", new RootEntry.CharDevice(0600, 0, 0, 5, 1));
        root.put("dev/null", new RootEntry.CharDevice(0666, 0, 0, 1, 3));

        PackageUnpacker unpacker = new PackageUnpacker(root, new DebDataCache(in.cache(), in.events()));
        int n = 0;
        for (BinaryPackage p : packages.resolution().packages()) {
            if (p.name().startsWith("linux-image-") || in.board().firmwarePackages().contains(p.name())) {
                continue;
            }
            in.events().progress("unpack", ++n, packages.resolution().packages().size(), Event.Unit.ITEMS);
            unpacker.unpack(packages.debs().get(p.id()), p.sha256());
        }
        in.events().debug("rootfs", "left out " + unpacker.droppedBytes() + " bytes of documentation and unused files");

        List<String> modulePaths = new ArrayList<>();
        for (KernelModule m : kernel.modules().modules()) {
            byte[] bytes = Files.readAllBytes(kernel.tree().modulesDir().resolve(m.path()));
            root.file("lib/modules/" + kernel.tree().version() + "/" + m.path(), 0644, bytes);
            modulePaths.add(m.path());
        }

        if (!root.contains("bin/sh")) {
            root.symlink("bin/sh", "busybox");   // the generated scripts are /bin/sh scripts
        }
        systemFiles(root);
        services(root);
        for (FileSpec f : in.spec().files()) {
            specFile(root, f);
        }
        return new AssembledRoot(root, modulePaths);
    }

    private void systemFiles(RootTree root) throws IOException {
        root.file("etc/passwd", 0644, utf8("root:x:0:0:root:/root:/bin/sh\n"));
        root.file("etc/group", 0644, utf8("root:x:0:\n"));
        root.file("etc/hostname", 0644, utf8(in.spec().name() + "\n"));
        root.replace("etc/resolv.conf", new RootEntry.Symlink("/run/fleetkit/resolv.conf", 0, 0));
        root.file("etc/os-release", 0644, utf8("NAME=Fleetkit\nID=fleetkit\nVERSION_ID=" + in.spec().version()
                + "\nPRETTY_NAME=\"" + in.spec().name() + " " + in.spec().version() + " (Fleetkit)\"\n"));
        Map<String, Object> release = new LinkedHashMap<>();
        release.put("name", in.spec().name());
        release.put("version", in.spec().version());
        release.put("board", in.board().name());
        release.put("kernel", kernel.tree().version());
        root.file(InitScripts.DIR + "/release.json", 0644, utf8(JsonWriter.writePretty(release)));
        if (in.board().bootloader() == BootloaderKind.RPI_TRYBOOT) {
            // the reboot that starts a firmware trial: busybox's reboot cannot pass "0 tryboot"
            root.file(TrybootRebootHelper.PATH.substring(1), 0755, TrybootRebootHelper.elf(in.board().architecture()));
        }
        if (in.spec().update().isPresent()) {
            // The agent trusts bundles signed by this key only.
            root.file(InitScripts.DIR + "/signing.pub", 0644, Files.readAllBytes(UpdateKeys.publicKey(in.spec().update().get().keys())));
        }
    }

    private void services(RootTree root) throws IOException {
        for (ServiceSpec s : in.spec().services()) {
            String rootPath;
            if (s.image().isPresent()) {
                String dir = "usr/lib/fleetkit/images/" + s.name() + "/rootfs";
                new OciImageUnpacker(root, dir, OciPlatform.of(in.board().architecture())).unpack(s.image().get());
                rootPath = "/" + dir;
            } else {
                rootPath = ServiceBundle.systemRoot(s.name());
            }
            String prefix = s.image().isPresent() ? rootPath.substring(1) + "/" : "";
            for (var b : s.binds()) {
                // Mount points must exist in a read-only root; sources on /data or /run are made at start.
                if (root.get(prefix + RootTree.normalise(b.target())) == null) {
                    root.directory(prefix + RootTree.normalise(b.target()), 0755);
                }
            }
            ServiceBundle.write(root, s, rootPath, OciRuntimeConfig.forService(s, rootPath, in.spec().settings()));
        }
    }

    private static void specFile(RootTree root, FileSpec f) throws IOException {
        switch (f.kind()) {
            case CONTENTS -> root.replace(f.path(), new RootEntry.File(f.mode(), f.uid(), f.gid(), utf8(f.contents().orElseThrow())));
            case SOURCE -> root.replace(f.path(), new RootEntry.File(f.mode(), f.uid(), f.gid(), Files.readAllBytes(f.source().orElseThrow())));
            case DIRECTORY -> root.replace(f.path(), new RootEntry.Directory(f.mode(), f.uid(), f.gid()));
            case SYMLINK -> root.replace(f.path(), new RootEntry.Symlink(f.symlinkTarget().orElseThrow(), f.uid(), f.gid()));
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
