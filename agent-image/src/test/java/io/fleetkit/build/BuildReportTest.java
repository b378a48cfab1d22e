package io.fleetkit.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetkit.json.JsonWriter;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The {@code .json} output is read by users and scripts: its keys, their order and nesting are fixed. */
class BuildReportTest {

    private static final BuildReport.Kernel KERNEL = new BuildReport.Kernel("linux-image-6.1.0-50-cloud-arm64",
            "6.1.176-1", "6.1.0-50-cloud-arm64", List.of("virtio", "virtio_blk"), 607583);
    private static final BuildReport.Sizes.Rootfs ROOTFS = new BuildReport.Sizes.Rootfs(64178341, 276);
    private static final BuildReport.Sizes.Initramfs INITRAMFS = new BuildReport.Sizes.Initramfs(21739380, 64219768, "gzip");
    private static final BuildReport.Sizes.Slot SLOT = new BuildReport.Sizes.Slot(9886879, 31911936, 134217728, 49954,
            "console=ttyAMA0,115200 panic=5 fleetkit.disk=/dev/vda");

    @Test
    void writesEveryPartInTheOrderTheStepsRan() {
        BuildReport.Sizes sizes = new BuildReport.Sizes(
                Optional.of(new BuildReport.Sizes.Agent("openjdk-17-jdk-headless 17.0.19+10-1~deb12u2", 291162)),
                ROOTFS, INITRAMFS, SLOT, Optional.of(new BuildReport.Sizes.Disk(373293056, 33575424, 33554432)),
                OptionalLong.of(33575424), Optional.of(new BuildReport.Sizes.Bundle("gateway-1.0.0.bundle", 1000000009999L)));
        BuildReport report = new BuildReport("gateway", "1.0.0", "qemu-arm64", "arm64", 1700000000, KERNEL, sizes,
                List.of(new BuildReport.PackageEntry("busybox-static", "1:1.35.0-4+deb12u1+b1", "arm64", "732c")),
                List.of(new BuildReport.OutputFile("gateway-1.0.0.img", 373293056, "125c"),
                        new BuildReport.OutputFile("gateway-1.0.0.slot", 31911936, "6cf5")),
                new BuildReport.DeviceSettings(List.of(
                        new BuildReport.DeviceSettings.Setting("location", Optional.of("lab"), "where it is"),
                        new BuildReport.DeviceSettings.Setting("site_key", Optional.empty(), "")), true, false, false));

        assertEquals("""
                {
                  "name": "gateway",
                  "version": "1.0.0",
                  "board": "qemu-arm64",
                  "architecture": "arm64",
                  "sourceDateEpoch": 1700000000,
                  "kernel": {
                    "package": "linux-image-6.1.0-50-cloud-arm64",
                    "version": "6.1.176-1",
                    "release": "6.1.0-50-cloud-arm64",
                    "modules": [
                      "virtio",
                      "virtio_blk"
                    ],
                    "modulesBytes": 607583
                  },
                  "sizes": {
                    "agentJdk": "openjdk-17-jdk-headless 17.0.19+10-1~deb12u2",
                    "agentJarBytes": 291162,
                    "rootfsBytes": 64178341,
                    "rootfsEntries": 276,
                    "initramfsBytes": 21739380,
                    "initramfsUncompressedBytes": 64219768,
                    "initramfsCompression": "gzip",
                    "kernelBytes": 9886879,
                    "slotBytes": 31911936,
                    "slotPartitionBytes": 134217728,
                    "slotFreeClusters": 49954,
                    "cmdline": "console=ttyAMA0,115200 panic=5 fleetkit.disk=/dev/vda",
                    "diskBytes": 373293056,
                    "diskMappedBytes": 33575424,
                    "bootFilesystemBytes": 33554432,
                    "netbootInstallBytes": 33575424,
                    "bundle": "gateway-1.0.0.bundle",
                    "versionNumber": 1000000009999
                  },
                  "packages": [
                    {
                      "name": "busybox-static",
                      "version": "1:1.35.0-4+deb12u1+b1",
                      "arch": "arm64",
                      "sha256": "732c"
                    }
                  ],
                  "outputs": {
                    "gateway-1.0.0.img": {
                      "bytes": 373293056,
                      "sha256": "125c"
                    },
                    "gateway-1.0.0.slot": {
                      "bytes": 31911936,
                      "sha256": "6cf5"
                    }
                  },
                  "deviceSettings": {
                    "settings": [
                      {
                        "name": "location",
                        "default": "lab",
                        "description": "where it is"
                      },
                      {
                        "name": "site_key",
                        "description": ""
                      }
                    ],
                    "server": true,
                    "wifi": false,
                    "sshKeys": false
                  }
                }
                """, JsonWriter.writePretty(report.toJson()));
    }

    @Test
    void leavesOutThePartsOfStepsThatDidNotRun() {
        BuildReport.Sizes sizes = new BuildReport.Sizes(Optional.empty(), ROOTFS, INITRAMFS, SLOT, Optional.empty(),
                OptionalLong.empty(), Optional.empty());
        BuildReport report = new BuildReport("plain", "1.0.0", "qemu-arm64", "arm64", 0, KERNEL, sizes, List.of(), List.of(),
                new BuildReport.DeviceSettings(List.of(), false, false, false));

        assertEquals(List.of("rootfsBytes", "rootfsEntries", "initramfsBytes", "initramfsUncompressedBytes",
                        "initramfsCompression", "kernelBytes", "slotBytes", "slotPartitionBytes", "slotFreeClusters", "cmdline"),
                List.copyOf(sizes.toJson().keySet()));
        assertEquals(List.of("name", "version", "board", "architecture", "sourceDateEpoch", "kernel", "sizes", "packages",
                "outputs", "deviceSettings"), List.copyOf(report.toJson().keySet()));
    }
}
