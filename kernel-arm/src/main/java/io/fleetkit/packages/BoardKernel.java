package io.fleetkit.packages;

import io.fleetkit.board.BoardProfile;
import io.fleetkit.board.FirmwareSelection;
import io.fleetkit.debian.BinaryPackage;
import io.fleetkit.kernel.DeviceTreeFile;
import io.fleetkit.kernel.KernelTree;
import io.fleetkit.kernel.ModuleClosure;
import java.util.List;
import java.util.Optional;

/**
 * What a board boots: the kernel package (empty for a kernel the user supplied) and its tree, the
 * modules chosen, device trees and firmware.
 */
public record BoardKernel(BoardProfile board, Optional<BinaryPackage> kernelPackage, KernelTree tree, ModuleClosure modules,
                          List<DeviceTreeFile> deviceTrees, List<FirmwareSelection.Resolved> firmware,
                          List<BinaryPackage> firmwarePackages) {
}
