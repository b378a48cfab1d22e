package io.fleetkit.ota.server.api;

/** A route's answer that is not JSON: bytes sent as they are, with their content type (the metrics). */
record PlainText(String contentType, byte[] bytes) {
}
