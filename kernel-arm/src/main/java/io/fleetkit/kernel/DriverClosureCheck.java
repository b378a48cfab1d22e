package io.fleetkit.kernel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a board can reach its storage, its console and its restart/watchdog with the drivers an
 * image carries: for each required node of a model's device tree, and each node it depends on
 * (regulators, clocks, GPIOs, power sequencing, DMA, resets, power domains, recursively), the node's
 * modalias ({@code of:N<name>T<type>C<compatible>...}, as the kernel makes it) must match a built-in
 * driver ({@code modules.builtin.modinfo}) or a module in the initramfs. A supplier that no module and
 * no built-in alias claims counts as the kernel's core (clocks and interrupt controllers registered by
 * {@code OF_DECLARE} have no alias); a required node that no module claims must have one of its
 * compatible strings in the kernel image (a built-in driver's match table), else it is a problem; so is any
 * node that only a module outside the initramfs claims. A requirement may also name a platform device
 * the claimed driver creates ({@code platform:bcm2835-wdt}, the restart handler under the PM block).
 */
public final class DriverClosureCheck {

    /**
     * @param role         what the node is for, as the message says it (storage, console, watchdog)
     * @param compatibles  the first enabled node with one of these; empty: the console ({@code /chosen stdout-path})
     * @param platformAlias a platform device's alias whose driver must also be present, or null
     */
    public record Requirement(String role, List<String> compatibles, String platformAlias) {
        public Requirement {
            compatibles = List.copyOf(compatibles);
        }

        public static Requirement console() {
            return new Requirement("console", List.of(), null);
        }
    }

    private static final List<String> SUPPLIER_LISTS = List.of("clocks", "dmas", "resets", "power-domains");
    private static final int MAX_DEPTH = 6;

    private final FlattenedDeviceTree dt;
    private final ModuleIndex index;
    private final Set<String> initramfsModules;
    private final java.util.function.Predicate<String> builtIntoImage;

    /**
     * @param builtIntoImage whether the kernel image itself matches a compatible string: built-in drivers'
     *                       of_device_id tables leave no alias in modules.builtin.modinfo, only the string in the
     *                       image ({@link KernelImageStrings})
     */
    public DriverClosureCheck(FlattenedDeviceTree dt, ModuleIndex index, Set<String> initramfsModules,
                              java.util.function.Predicate<String> builtIntoImage) {
        this.dt = dt;
        this.index = index;
        this.builtIntoImage = builtIntoImage;
        this.initramfsModules = Set.copyOf(initramfsModules.stream().map(ModuleNames::normalize).toList());
    }

    /** What is missing, one sentence each; empty when every requirement has its drivers. */
    public List<String> problems(List<Requirement> requirements) {
        List<String> problems = new ArrayList<>();
        for (Requirement r : requirements) {
            Optional<FlattenedDeviceTree.Node> node = find(r);
            if (node.isEmpty()) {
                problems.add("no enabled " + r.role() + " node" + (r.compatibles().isEmpty() ? " (chosen/stdout-path)"
                        : " compatible with " + String.join(" or ", r.compatibles())));
                continue;
            }
            check(r.role(), node.get(), true, 0, new LinkedHashSet<>(), problems);
            if (r.platformAlias() != null && !claimedBuiltin(r.platformAlias())) {
                Set<String> modules = index.modulesForAlias(r.platformAlias());
                if (modules.stream().noneMatch(initramfsModules::contains)) {
                    problems.add(r.role() + ": " + r.platformAlias() + " needs " + (modules.isEmpty() ? "a driver the kernel does not have"
                            : "module " + String.join(" or ", modules) + ", which is not in the initramfs"));
                }
            }
        }
        return problems;
    }

    private Optional<FlattenedDeviceTree.Node> find(Requirement r) {
        if (r.compatibles().isEmpty()) {
            return dt.node("/chosen").flatMap(c -> c.strings("stdout-path").stream().findFirst()).flatMap(dt::resolve);
        }
        return dt.nodes().stream().filter(FlattenedDeviceTree.Node::enabled)
                .filter(n -> n.compatible().stream().anyMatch(r.compatibles()::contains)).findFirst();
    }

    private void check(String role, FlattenedDeviceTree.Node n, boolean required, int depth, Set<String> seen, List<String> problems) {
        if (!seen.add(n.path()) || depth > MAX_DEPTH) {
            return;
        }
        if (!n.compatible().isEmpty()) {
            String alias = modalias(n);
            if (!claimedBuiltin(alias)) {
                Set<String> modules = index.modulesForAlias(alias);
                if (modules.isEmpty() && required && n.compatible().stream().noneMatch(builtIntoImage)) {
                    problems.add(role + ": " + describe(n) + " has no driver in the kernel or its modules");
                } else if (!modules.isEmpty() && modules.stream().noneMatch(initramfsModules::contains)) {
                    problems.add(role + ": " + describe(n) + (required ? "" : " (a supplier)") + " needs module "
                            + String.join(" or ", modules) + ", which is not in the initramfs");
                }
            }
        }
        for (FlattenedDeviceTree.Node s : suppliers(n)) {
            check(role, s, false, depth + 1, seen, problems);
        }
    }

    private boolean claimedBuiltin(String alias) {
        return !index.builtinForAlias(alias).isEmpty();
    }

    /** Nodes {@code n} needs before its driver can probe: *-supply, *-gpios, mmc-pwrseq, clocks, dmas, resets, power-domains. */
    List<FlattenedDeviceTree.Node> suppliers(FlattenedDeviceTree.Node n) {
        List<FlattenedDeviceTree.Node> out = new ArrayList<>();
        for (String key : n.properties().keySet()) {
            if (key.endsWith("-supply") || key.equals("mmc-pwrseq")) {
                int[] c = n.cells(key);
                if (c.length >= 1) {
                    dt.byPhandle(c[0]).ifPresent(out::add);
                }
            } else if (key.equals("gpio") || key.equals("gpios") || key.endsWith("-gpios") || key.endsWith("-gpio")) {
                out.addAll(phandleList(n.cells(key), "#gpio-cells"));
            } else if (SUPPLIER_LISTS.contains(key)) {
                String cells = "#" + (key.equals("clocks") ? "clock" : key.equals("dmas") ? "dma" : key.equals("resets") ? "reset"
                        : "power-domain") + "-cells";
                out.addAll(phandleList(n.cells(key), cells));
            }
        }
        return out;
    }

    private List<FlattenedDeviceTree.Node> phandleList(int[] cells, String cellsProperty) {
        List<FlattenedDeviceTree.Node> out = new ArrayList<>();
        int i = 0;
        while (i < cells.length) {
            Optional<FlattenedDeviceTree.Node> provider = dt.byPhandle(cells[i]);
            if (provider.isEmpty()) {
                break;
            }
            out.add(provider.get());
            int[] argc = provider.get().cells(cellsProperty);
            i += 1 + (argc.length == 1 ? argc[0] : 0);
        }
        return out;
    }

    /** As the kernel's of_device_modalias: {@code of:N<name>T<device_type or (null)>C<compatible>C<...>}. */
    static String modalias(FlattenedDeviceTree.Node n) {
        StringBuilder s = new StringBuilder("of:N").append(n.baseName()).append('T');
        List<String> type = n.strings("device_type");
        s.append(type.isEmpty() ? "(null)" : type.get(0));
        for (String c : n.compatible()) {
            s.append('C').append(c);
        }
        return s.toString();
    }

    private static String describe(FlattenedDeviceTree.Node n) {
        return n.path() + " (" + String.join(", ", n.compatible()) + ")";
    }
}
