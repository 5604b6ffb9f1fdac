/*
 * Sensing wristband protocol v1 — portable C99 device-side reference.
 * See firmware-protocol/README.md (the specification). No heap: every buffer is a fixed array inside the structs.
 */
#ifndef SENSING_PROTOCOL_H
#define SENSING_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SP_PROTOCOL_VERSION 1u
#define SP_HEADER_BYTES 12u
#define SP_MIN_FRAME_BYTES 20u  /* header + reference sample + CRC */
#define SP_MAX_FRAME_BYTES 244u /* ATT MTU 247 minus the 3-byte notification header */
#define SP_MAX_SAMPLES 255u
#define SP_MAX_DELTA_WIDTH 16u
#define SP_STATUS_BYTES 20u
#define SP_MAX_CONTROL_BYTES 20u

typedef enum { SP_FRAME_LIVE = 1, SP_FRAME_HISTORICAL = 2 } sp_frame_type;

/* Rejection reasons, in the order the decoder checks them (README §3.7). */
typedef enum {
    SP_OK = 0,
    SP_REJECT_TRUNCATED,
    SP_REJECT_UNSUPPORTED_VERSION,
    SP_REJECT_UNKNOWN_FRAME_TYPE,
    SP_REJECT_UNKNOWN_RATE_CODE,
    SP_REJECT_RESERVED_BIT_SET,
    SP_REJECT_INVALID_DELTA_WIDTH,
    SP_REJECT_ZERO_SAMPLE_COUNT,
    SP_REJECT_FRAME_TOO_LONG,
    SP_REJECT_SEQUENCE_OVERFLOW,
    SP_REJECT_CRC_MISMATCH,
    SP_REJECT_NON_ZERO_PADDING,
    SP_REJECT_NON_CANONICAL_WIDTH
} sp_result;

/* The name used in the vector files for a rejection (C# FrameRejectionReason member names). */
const char *sp_result_name(sp_result r);

typedef struct {
    uint8_t version;
    uint8_t type;
    uint8_t rate_code;
    uint8_t range_code;
    uint8_t delta_width;
    uint8_t boot_id;
    uint32_t seq;
    uint32_t tick;
    uint8_t count;
} sp_frame_header;

typedef struct {
    sp_frame_header header;
    int16_t samples[SP_MAX_SAMPLES][3];
} sp_frame;

uint16_t sp_crc16(const uint8_t *data, size_t length);
uint16_t sp_crc16_update(uint16_t crc, const uint8_t *data, size_t length);

/* Bits a delta needs (0 for 0). */
unsigned sp_delta_width(int16_t delta);
/* Encoded length of a frame with n samples at width w. */
size_t sp_frame_length(unsigned count, unsigned width);

/* Encodes header fields (version, delta_width and count are computed) and samples; returns bytes written, 0 if it does
 * not fit in capacity or the arguments are invalid. */
size_t sp_encode_frame(const sp_frame_header *header, const int16_t (*samples)[3], unsigned count, uint8_t *out,
                       size_t capacity);

/* How many of the given samples (from the first) fit one frame of at most max_bytes; at least 1 when max_bytes >= 20. */
unsigned sp_samples_that_fit(const int16_t (*samples)[3], unsigned available, size_t max_bytes);

/* Parses only the 12-byte header and checks it (rules up to SEQUENCE_OVERFLOW); sets *length to L. */
sp_result sp_parse_header(const uint8_t *data, size_t length, sp_frame_header *header, size_t *frame_length);

/* Decodes one frame that starts at data; *consumed = L on success. */
sp_result sp_decode_frame(const uint8_t *data, size_t length, sp_frame *frame, size_t *consumed);

/* ---------------- Flash ring buffer of encoded frames, freed only by acknowledgement ---------------- */

#ifndef SP_RING_MAX_SLOTS
#define SP_RING_MAX_SLOTS 256u
#endif

typedef struct {
    uint8_t length;
    uint8_t boot_id;
    uint8_t count;
    uint32_t seq;
    uint8_t bytes[SP_MAX_FRAME_BYTES];
} sp_slot;

typedef struct {
    sp_slot slots[SP_RING_MAX_SLOTS];
    uint32_t capacity;    /* slots in use by this device, <= SP_RING_MAX_SLOTS */
    uint32_t oldest;      /* serial number of the oldest stored slot */
    uint32_t next;        /* serial number the next stored slot gets */
} sp_ring;

void sp_ring_init(sp_ring *ring, uint32_t capacity);
uint32_t sp_ring_count(const sp_ring *ring);
const sp_slot *sp_ring_at(const sp_ring *ring, uint32_t serial); /* NULL when not stored */
/* Stores a frame; when full, first discards the oldest slot and reports it through *dropped (count 0 if none). */
void sp_ring_push(sp_ring *ring, const uint8_t *frame, size_t length, sp_slot *dropped);
void sp_ring_pop(sp_ring *ring);

/* ---------------- Device: sampling, live frames, control point, backfill ---------------- */

typedef struct {
    void *context;
    /* Sends one Motion Data notification; returns 0 when the link could not take it (lost). */
    int (*notify)(void *context, const uint8_t *value, size_t length);
    /* Sends one Control Point indication. */
    void (*indicate)(void *context, const uint8_t *value, size_t length);
} sp_io;

typedef enum {
    SP_OP_SET_TIME = 0x01,
    SP_OP_READ_CLOCK = 0x02,
    SP_OP_START_LIVE = 0x03,
    SP_OP_STOP_LIVE = 0x04,
    SP_OP_SET_SENSOR = 0x05,
    SP_OP_BACKFILL = 0x06,
    SP_OP_ABORT_BACKFILL = 0x07,
    SP_OP_ACK = 0x08
} sp_opcode;

typedef enum {
    SP_RESULT_SUCCESS = 0x00,
    SP_RESULT_UNKNOWN_OPCODE = 0x01,
    SP_RESULT_INVALID_LENGTH = 0x02,
    SP_RESULT_INVALID_PARAMETER = 0x03,
    SP_RESULT_RANGE_NOT_STORED = 0x04,
    SP_RESULT_BUSY = 0x05
} sp_cp_result;

#define SP_CP_RESPONSE 0x80u
#define SP_CP_EVENT 0x81u
#define SP_EVENT_BACKFILL_DONE 0x01u
#define SP_EVENT_DATA_DROPPED 0x02u
#define SP_BACKFILL_SINCE 0xFFFFFFFFu

typedef struct {
    sp_io io;
    uint8_t firmware_major, firmware_minor, battery;
    uint8_t boot_id;
    uint8_t rate_code, range_code;
    uint16_t mtu;           /* 0 while disconnected */
    uint8_t live;
    uint8_t clock_set;
    uint8_t overflowed;
    uint64_t wall_anchor_us;
    uint32_t wall_anchor_tick;
    uint32_t next_index;    /* sample index of the next sample of this boot */
    uint32_t dropped_samples;
    /* the frame being filled */
    int16_t open[SP_MAX_SAMPLES][3];
    uint32_t open_count;
    uint32_t open_width;
    uint32_t live_from;     /* first open sample not yet sent live */
    uint32_t live_width;    /* delta width of the pending live samples */
    uint32_t open_tick;
    uint32_t open_seq;
    /* backfill cursor */
    uint8_t bf_running;
    uint8_t bf_since;
    uint8_t bf_boot;
    uint32_t bf_serial;     /* ring serial of the slot being replayed */
    uint32_t bf_next;       /* next sample index to send within bf_boot (range mode) or within the slot's boot */
    uint32_t bf_last;
    uint32_t bf_sent;
    uint32_t bf_stop_serial; /* a "since" backfill replays what was stored when it was requested */
    uint8_t bf_cur_boot;
    uint8_t bf_end_boot;
    uint32_t bf_end_index;
    sp_ring ring;
    sp_frame scratch;         /* replay decodes a stored frame here (no heap, no large stack frames) */
} sp_device;

void sp_device_init(sp_device *dev, sp_io io, uint8_t boot_id, uint32_t ring_capacity);
/* Connection state: mtu 0 = disconnected (ends a running backfill silently, keeps everything stored). */
void sp_device_set_mtu(sp_device *dev, uint16_t mtu);
/* One sensor sample measured at device tick `tick`. */
void sp_device_add_sample(sp_device *dev, int16_t x, int16_t y, int16_t z, uint32_t tick);
/* Sends the samples not yet sent live (the one-second latency bound, README §3.5). */
void sp_device_flush_live(sp_device *dev);
/* Closes the open run: sends its pending live samples, then stores it as one frame (sensor change, shutdown). */
void sp_device_flush(sp_device *dev);
/* Handles one Control Point write; the response goes out through io.indicate. */
void sp_device_control(sp_device *dev, const uint8_t *request, size_t length, uint32_t tick_now);
/* Sends at most one historical frame; returns 1 if a frame was sent (or lost), 0 when no backfill is running. */
int sp_device_pump_backfill(sp_device *dev);
/* Reset: new boot id, indices restart; stored frames stay (those with the new boot id are dropped). */
void sp_device_reset(sp_device *dev);
/* The 20-byte Status value. */
void sp_device_status(const sp_device *dev, uint32_t tick_now, uint8_t out[SP_STATUS_BYTES]);

#ifdef __cplusplus
}
#endif

#endif
