package io.fleetkit.ota.server.broker;

import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import io.fleetkit.ota.protocol.Topics;
import java.util.Arrays;
import java.util.List;

/**
 * The topic rights of docs/protocol.md ("Security") as HiveMQ permissions; everything else is denied.
 * A device publishes only its own {@code online}, {@code state}, {@code events} and {@code chunks/req},
 * and subscribes only to its own {@code desired} and {@code chunks/data} (no wildcards: a filter is
 * allowed only where one of these topics covers it). A server may publish and subscribe anything under the prefix.
 */
final class FleetPermissions {

    private FleetPermissions() {
    }

    static List<TopicPermission> device(Topics topics, String id) {
        return Arrays.stream(Topics.Kind.values())
                .map(kind -> allow(topics.topic(id, kind), kind.deviceRight() == Topics.DeviceRight.PUBLISH
                        ? TopicPermission.MqttActivity.PUBLISH : TopicPermission.MqttActivity.SUBSCRIBE))
                .toList();
    }

    static List<TopicPermission> server(Topics topics) {
        return List.of(allow(topics.prefix() + "/#", TopicPermission.MqttActivity.ALL));
    }

    private static TopicPermission allow(String filter, TopicPermission.MqttActivity activity) {
        return Builders.topicPermission().topicFilter(filter).type(TopicPermission.PermissionType.ALLOW).activity(activity)
                .qos(TopicPermission.Qos.ALL).retain(TopicPermission.Retain.ALL)
                .sharedSubscription(TopicPermission.SharedSubscription.NOT_SHARED).build();
    }
}
