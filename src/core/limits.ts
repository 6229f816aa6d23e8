/**
 * Every queue, table and message has a limit, named once here with the reason for its value.
 * docs/LIMITS.md lists them for operators.
 */

/** Node id length in UTF-8 bytes: long enough for a FQDN (253) plus a port, short enough to index. */
export const MAX_NODE_ID_BYTES = 255;

/** Encoded payload size in bytes: a handful of metrics, and a whole heartbeat fits one UDP datagram. */
export const MAX_PAYLOAD_BYTES = 1024;

/** Entries (metrics) in one payload. */
export const MAX_PAYLOAD_ENTRIES = 32;

/** Payload key length in UTF-8 bytes. */
export const MAX_PAYLOAD_KEY_BYTES = 64;

/** Payload string value length in UTF-8 bytes. */
export const MAX_PAYLOAD_STRING_BYTES = 256;

/**
 * Largest datagram or frame we accept. Below the 1500-byte Ethernet MTU minus IP/UDP headers
 * (1472), so a heartbeat is never fragmented.
 */
export const MAX_DATAGRAM_BYTES = 1472;

/** Longest plain text line (`node1\n`) over TCP before the connection is closed. */
export const MAX_TEXT_LINE_BYTES = MAX_NODE_ID_BYTES + 1;

/** Nodes one monitor tracks: a million fits in memory (see bench/RESULTS.md for bytes per node). */
export const MAX_NODES = 2_000_000;

/** Samples kept by a windowed detector: enough for a stable estimate, small enough for 1 M nodes. */
export const MAX_DETECTOR_WINDOW = 1000;

/** Webhook deliveries waiting to be sent; beyond this the oldest are dropped and counted. */
export const MAX_PENDING_WEBHOOKS = 10_000;

/** HTTP request body size in bytes (JSON heartbeats, registrations). */
export const MAX_HTTP_BODY_BYTES = 64 * 1024;
