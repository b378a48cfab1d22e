package io.fleetkit.kernel;

import io.fleetkit.board.BoardProfile;

import java.util.ArrayList;
import java.util.List;

/** Which of a kernel's device trees a board's image carries. */
public final class DeviceTreeSelection {

    private DeviceTreeSelection() {
    }

    /** The board's device trees plus {@code extra} ones from the spec; each must exist in the kernel. */
    public static List<DeviceTreeFile> forBoard(BoardProfile board, KernelTree kernel, List<String> extra) {
        List<String> wanted = new ArrayList<>(board.deviceTrees());
        extra.stream().filter(e -> !wanted.contains(e)).forEach(wanted::add);
        List<DeviceTreeFile> files = new ArrayList<>();
        for (String relative : wanted) {
            String target = relative.substring(relative.lastIndexOf('/') + 1);
            files.add(new DeviceTreeFile(relative, kernel.deviceTree(relative), target));
        }
        return List.copyOf(files);
    }
}
