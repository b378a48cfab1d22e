package io.fleetkit.kernel;

import io.fleetkit.board.BoardProfile;

import java.io.IOException;
import java.nio.file.Path;

/** Opens the real bookworm kernel a board uses, going from the metapackage to the real image package. */
final class BookwormKernels {

    private BookwormKernels() {
    }

    static KernelTree forBoard(BoardProfile board) throws IOException {
        String arch = board.architecture().debianName();
        String depends = DebianTestArchive.field("main", arch, board.kernelPackage(), "Depends");
        String real = KernelPackages.realImagePackage(depends)
                .orElseThrow(() -> new AssertionError(board.kernelPackage() + " depends on no linux-image: " + depends));
        Path root = DebianTestArchive.extracted("main", arch, real);
        return KernelTree.open(root);
    }
}
