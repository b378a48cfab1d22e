package io.fleetkit.devicetests;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One emulated board with its own writable disk file, powered on and off like a real one: each
 * power-on is a new qemu on the same disk (a reboot from inside the guest is a reset in the same
 * qemu, so it keeps the console), each with its own console log, {@code <name>-power<N>.log}.
 */
final class EmulatedDevice implements AutoCloseable {

    final String name;
    final String board;
    final Path disk;
    private final int memoryMiB;
    private final int cpus;
    private Emulator vm;
    private int powerOns;

    EmulatedDevice(String name, String board, Path disk, int memoryMiB) {
        this(name, board, disk, memoryMiB, 0);
    }

    /** @param cpus virtual CPUs, 0 for the emulator's default */
    EmulatedDevice(String name, String board, Path disk, int memoryMiB, int cpus) {
        this.name = name;
        this.board = board;
        this.disk = disk;
        this.memoryMiB = memoryMiB;
        this.cpus = cpus;
    }

    Emulator powerOn() throws IOException {
        if (vm != null && vm.isAlive()) {
            throw new IllegalStateException(name + " is already on");
        }
        powerOns++;
        vm = Emulator.boot(board, disk, true, memoryMiB, cpus, List.of(), name + "-power" + powerOns);
        return vm;
    }

    void cutPower() throws InterruptedException {
        if (vm != null) {
            vm.cutPower();
            vm.close();
        }
    }

    Emulator vm() {
        return vm;
    }

    int powerOns() {
        return powerOns;
    }

    /** Waits for a ready line and returns it. */
    String awaitReady(int fromLine, Duration timeout) throws InterruptedException {
        return vm.line(vm.expect("^fleetkit: ready ", fromLine, timeout));
    }

    @Override
    public void close() throws InterruptedException {
        if (vm != null) {
            vm.close();
        }
    }
}
