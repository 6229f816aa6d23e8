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

/** Payload string value length in UTF-8 bytes: the most a u8 length field in binary v1 can say. */
export const MAX_PAYLOAD_STRING_BYTES = 255;

/**
 * Largest datagram or frame we accept. Below the 1500-byte Ethernet MTU minus IP/UDP headers
 * (1472), so a heartbeat is never fragmented.
 */
export const MAX_DATAGRAM_BYTES = 1472;

/**
 * Shortest interval an agent may send at, ms: below it the sender's timer and the monitor's
 * per-heartbeat work cost more than the faster detection gains (loopback round trips and timer
 * granularity are around a millisecond).
 */
export const MIN_HEARTBEAT_INTERVAL_MS = 10;

/**
 * Longest interval a sender may announce or a node be registered with, ms: one day, the interval
 * of a daily job, the slowest heartbeat there is. The monitor waits about three intervals before
 * suspicion and ten more before dead, so a longer (or forged: `intervalMs` is unauthenticated)
 * interval would keep a silent node unsuspected for days; a job that runs weekly or monthly has a
 * schedule, not a heartbeat interval.
 */
export const MAX_HEARTBEAT_INTERVAL_MS = 86_400_000;

/**
 * Forward step of a heartbeat's seq accepted however little time passed since the newest one;
 * on top of it, twice the heartbeats the sender's interval allows meanwhile (membership/arrival.ts).
 * It covers what makes a real sender look faster than its interval: an agent's extra heartbeat
 * on start or reconnect, reordering, timer jitter at short intervals, and heartbeats that waited
 * in the monitor's socket buffer and are read together. 16 such heartbeats in a row are rare; a
 * forged seq millions ahead is refused (`seq-jump`).
 */
export const SEQ_JUMP_SLACK = 16;

/**
 * Refused heartbeats (stale or seq-jump) of one incarnation in a row, each newer than the one
 * before, after which the node's seq is re-synced to the sender's: what a forged seq costs the
 * real sender, at most this many heartbeats (the φ default absorbs 3 intervals of silence). One
 * or two stray or forged datagrams never move it.
 */
export const SEQ_RESYNC_RUN = 3;

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

/** API tokens in a token file: each request is checked against every one, in constant time. */
export const MAX_API_TOKENS = 1000;

/** Open TCP heartbeat connections per monitor: one per agent is the norm; beyond this new ones are refused and counted. */
export const MAX_TCP_CONNECTIONS = 4096;

/**
 * TCP heartbeat or HTTP connections open at once from one source address: one host runs a few
 * agents and a few API clients, so a client holding more is refused (counted) instead of
 * taking every slot from the rest. A NAT in front of many agents raises it (`maxConnectionsPerSource`).
 */
export const MAX_CONNECTIONS_PER_SOURCE = 256;

/** Undecodable messages one TCP connection may send before it is closed: a peer that speaks another protocol should not cost us more. */
export const MAX_TCP_DECODE_ERRORS = 16;

/** Server-Sent Events subscribers at once: dashboards and a few tools, not one per node. */
export const MAX_SSE_CLIENTS = 256;

/** Bytes queued for one SSE subscriber that does not read; beyond this it is disconnected rather than buffered without end. */
export const MAX_SSE_BUFFERED_BYTES = 1024 * 1024;

/** Bytes of arrival recording waiting for the disk; beyond this lines are dropped and counted, so recording never holds up detection. */
export const MAX_RECORDING_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * Transitions returned by one history query: a page the API can serialise in a few ms; older
 * rows are reached with the `before` cursor.
 */
export const MAX_HISTORY_PAGE = 1000;

/**
 * Nodes on one page of GET /v1/nodes (`?limit=`): 10 000 snapshots are about 5 MB of JSON,
 * streamed a few hundred at a time so no turn of the event loop serialises more than ~1 ms of it;
 * the rest of the table is reached with the `cursor`.
 */
export const MAX_NODES_PAGE = 10_000;

/**
 * Stored transitions an event stream replays after `Last-Event-ID` before going live: ten
 * pages. A client further behind gets a `gap` event and pages GET /v1/events instead.
 */
export const MAX_SSE_REPLAY = 10 * MAX_HISTORY_PAGE;

/**
 * Exec hooks waiting for a free slot; beyond this the oldest are dropped and counted. A mass
 * failure of 10 k nodes must not fork 10 k shells.
 */
export const MAX_PENDING_EXEC_HOOKS = 1000;

/** Output kept from an exec hook (the tail of stdout and stderr) for logs and events. */
export const MAX_EXEC_OUTPUT_BYTES = 4096;

/** Node groups in a configuration: each new node is matched against every group once. */
export const MAX_NODE_GROUPS = 256;

/** Webhook URLs and exec rules in a configuration: each transition fans out to all of them. */
export const MAX_ACTIONS = 64;

/**
 * Longest line a trace reader accepts (ping logs, latency files, recordings): real lines are
 * under 200 bytes, so anything longer is not a trace and is reported instead of buffered.
 */
export const MAX_TRACE_LINE_BYTES = 4096;

/** Bytes a TCP connection may send without one decodable message before it is closed: 44 maximal frames of garbage is no heartbeat sender. */
export const MAX_TCP_GARBAGE_BYTES = 64 * 1024;

/**
 * Node-table transitions (suspect, dead) processed by one timer callback: when a partition
 * expires many deadlines at once, the table yields after this many so heartbeats already queued
 * are read between batches (10 000 transitions take a few ms).
 */
export const MAX_TRANSITIONS_PER_TICK = 10_000;

/** Tags on one registered node: enough to name a zone, a role and a few groups. */
export const MAX_NODE_TAGS = 32;

/** Length of one node tag in UTF-8 bytes. */
export const MAX_NODE_TAG_BYTES = 64;

/**
 * Transitions a simulation run keeps in its result (more are counted, not stored): a million
 * is a few hundred MB at most, and a run that flaps more than that is answered by its counts.
 */
export const MAX_SIM_TRANSITIONS = 1_000_000;

/**
 * Transitions and registry writes the monitor holds for one commit to the history store (they
 * are announced only once stored): one full node-table tick (MAX_TRANSITIONS_PER_TICK) plus the
 * registry writes of a burst of joins still commit as one transaction; beyond this the journal
 * commits early, so pending work stays under ~20 MB (about 1 kB per transition with evidence).
 */
export const MAX_JOURNAL_ENTRIES = 20_000;

/**
 * Journal entries kept for a retry while the history store cannot be written (a full disk, a
 * database that went away): announced already, stored once the store takes writes again.
 * Ten full journals (~200 MB at worst); beyond it the oldest are dropped and counted.
 */
export const MAX_UNSTORED_ENTRIES = 10 * MAX_JOURNAL_ENTRIES;

/**
 * Inter-arrival times kept per node in the history store to warm its detector up after a
 * monitor restart: enough for a stable mean and spread (φ needs a few dozen), small enough that
 * a checkpoint of a million nodes stays a few hundred MB of writes.
 */
export const MAX_WARMUP_SAMPLES = 32;

/**
 * Nodes whose recent arrivals the monitor keeps at once for GET /v1/nodes/:id/arrivals (the node
 * pages dashboards have open, not the fleet): the least recently asked for is dropped first.
 */
export const MAX_WATCHED_NODES = 64;

/** Arrivals kept per watched node: a few hundred gaps to chart, 2.4 kB of float64. */
export const ARRIVAL_RING_SIZE = 300;
