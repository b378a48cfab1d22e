package io.fleetkit.build;

import io.fleetkit.spec.ServiceSpec;

/**
 * The update agent as {@link AgentServiceStep} put it into the root tree.
 *
 * @param service  the agent's service, which the init starts after the spec's
 * @param jdk      the Debian JDK its runtime was linked from, with the version
 * @param jarBytes the agent's jars, in bytes
 */
record AgentService(ServiceSpec service, String jdk, long jarBytes) {

    BuildReport.Sizes.Agent report() {
        return new BuildReport.Sizes.Agent(jdk, jarBytes);
    }
}
