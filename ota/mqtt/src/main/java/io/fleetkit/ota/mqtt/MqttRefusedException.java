package io.fleetkit.ota.mqtt;

/** The broker answered CONNECT with a CONNACK return code other than 0 (MQTT 3.1.1 section 3.2.2.3). */
public final class MqttRefusedException extends MqttException {

    private final int returnCode;

    public MqttRefusedException(BrokerAddress broker, String clientId, int returnCode) {
        super(broker + " refused the connection of client '" + clientId + "': " + reason(returnCode) + " (CONNACK return code " + returnCode + ")");
        this.returnCode = returnCode;
    }

    public int returnCode() {
        return returnCode;
    }

    static String reason(int code) {
        return switch (code) {
            case 1 -> "unacceptable protocol version (the broker does not speak MQTT 3.1.1)";
            case 2 -> "client identifier rejected";
            case 3 -> "server unavailable";
            case 4 -> "bad user name or password";
            case 5 -> "not authorized (check the broker's allow_anonymous, ACLs or client certificate)";
            default -> "unknown reason";
        };
    }
}
