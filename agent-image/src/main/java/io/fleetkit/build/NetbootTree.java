package io.fleetkit.build;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The netboot tree ({@link WriteNetbootStep}).
 *
 * @param installBytes the size of the disk image payload in its {@code install/} folder, when it has one
 */
record NetbootTree(Path dir, OptionalLong installBytes) {
}
