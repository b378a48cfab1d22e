package io.fleetkit.kernel;

import io.fleetkit.board.Architecture;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KsppReportTest {

    private static final String CONFIG = String.join("\n",
            "#",
            "# Automatically generated file; DO NOT EDIT.",
            "CONFIG_STACKPROTECTOR_STRONG=y",
            "CONFIG_RANDOMIZE_BASE=y",
            "# CONFIG_DEVMEM is not set",
            "CONFIG_PROC_KCORE=y",
            "CONFIG_DEFAULT_MMAP_MIN_ADDR=4096",
            "CONFIG_MODULE_SIG_HASH=\"sha256\"",
            "# CONFIG_INIT_ON_ALLOC_DEFAULT_ON is not set",
            "CONFIG_HARDENED_USERCOPY=m",
            "");

    @Test
    void parsesSetUnsetQuotedAndAbsentOptions() {
        KernelConfig config = KernelConfig.parse(CONFIG);
        assertEquals("y", config.value("CONFIG_RANDOMIZE_BASE"));
        assertEquals(KernelConfig.NOT_SET, config.value("CONFIG_DEVMEM"));
        assertEquals("sha256", config.value("CONFIG_MODULE_SIG_HASH"));
        assertEquals("4096", config.value("CONFIG_DEFAULT_MMAP_MIN_ADDR"));
        assertNull(config.value("CONFIG_SHADOW_CALL_STACK"));
        assertTrue(config.isEnabled("CONFIG_HARDENED_USERCOPY"));
    }

    @Test
    void classifiesEachRecommendationAsMetMissingOrContrary() {
        List<KsppRecommendation> recs = KsppRecommendations.parse(String.join("\n",
                "## canaries",
                "CONFIG_STACKPROTECTOR_STRONG=y",
                "CONFIG_RANDOMIZE_BASE=y",
                "## no /dev/mem",
                "# CONFIG_DEVMEM is not set",
                "# CONFIG_PROC_KCORE is not set",
                "# CONFIG_KEXEC is not set",
                "CONFIG_DEFAULT_MMAP_MIN_ADDR=32768",
                "CONFIG_INIT_ON_ALLOC_DEFAULT_ON=y",
                "CONFIG_HARDENED_USERCOPY=y",
                "CONFIG_SHADOW_CALL_STACK=y"));
        KsppReport report = KsppReport.compare(KernelConfig.parse(CONFIG), recs);

        assertEquals(9, report.rows().size());
        assertEquals(List.of("CONFIG_STACKPROTECTOR_STRONG", "CONFIG_RANDOMIZE_BASE", "CONFIG_DEVMEM", "CONFIG_KEXEC"),
                report.rowsWith(KsppReport.Status.MET).stream().map(KsppReport.Row::option).toList(),
                "an absent option counts as off for an 'is not set' recommendation");
        assertEquals(List.of("CONFIG_SHADOW_CALL_STACK"),
                report.rowsWith(KsppReport.Status.MISSING).stream().map(KsppReport.Row::option).toList());
        assertEquals(List.of("CONFIG_PROC_KCORE", "CONFIG_DEFAULT_MMAP_MIN_ADDR", "CONFIG_INIT_ON_ALLOC_DEFAULT_ON",
                        "CONFIG_HARDENED_USERCOPY"),
                report.rowsWith(KsppReport.Status.CONTRARY).stream().map(KsppReport.Row::option).toList());
        assertEquals("4 met, 1 missing, 4 contrary of 9 KSPP recommendations", report.summary());
        assertEquals("no /dev/mem", report.rows().get(2).why());
    }

    @Test
    void shipsRecommendationListsForBothArchitectures() {
        List<KsppRecommendation> arm64 = KsppRecommendations.forArchitecture(Architecture.ARM64);
        List<KsppRecommendation> arm = KsppRecommendations.forArchitecture(Architecture.ARMHF);
        assertTrue(arm64.size() >= 40, "arm64 list has " + arm64.size());
        assertTrue(arm.size() >= 40, "arm list has " + arm.size());
        assertTrue(arm64.stream().anyMatch(r -> r.option().equals("CONFIG_ARM64_PTR_AUTH_KERNEL")));
        assertTrue(arm64.stream().anyMatch(r -> r.option().equals("CONFIG_PROC_KCORE") && r.wantsUnset()));
        assertTrue(arm.stream().anyMatch(r -> r.option().equals("CONFIG_CPU_SW_DOMAIN_PAN")));
        assertTrue(arm.stream().noneMatch(r -> r.option().startsWith("CONFIG_ARM64")));
        assertTrue(arm64.stream().allMatch(r -> !r.why().isEmpty()), "every setting carries its reason");
        assertEquals(arm64.size(), arm64.stream().map(KsppRecommendation::option).distinct().count(), "no duplicates");
    }
}
