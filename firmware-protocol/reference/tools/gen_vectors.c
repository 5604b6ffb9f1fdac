/* Generates firmware-protocol/vectors/ (all .json files) from this reference. Usage: gen_vectors <output-directory>.
 * Output is deterministic (fixed inputs, xorshift32 with a fixed seed), so CTest can compare it byte for byte. */
#include "../tests/capture.h"
#include "../tests/check.h"
#include "../tests/mutate.h"

#include <stdio.h>
#include <string.h>

static FILE *out;
static int first_item;
static int16_t samples[SP_MAX_SAMPLES][3];

static FILE *open_file(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "gen_vectors: cannot write %s\n", path);
        exit(2);
    }
    return f;
}

static void hex(const uint8_t *b, size_t n)
{
    fputc('"', out);
    for (size_t i = 0; i < n; i++) fprintf(out, "%02x", b[i]);
    fputc('"', out);
}

static void item_start(void)
{
    fputs(first_item ? "\n  " : ",\n  ", out);
    first_item = 0;
}

static void begin_array(const char *dir, const char *name)
{
    out = open_file(dir, name);
    fputs("[", out);
    first_item = 1;
}

static void end_array(void)
{
    fputs("\n]\n", out);
    fclose(out);
}

static void fix_crc(uint8_t *b, size_t len)
{
    uint16_t crc = sp_crc16(b, len - 2);
    b[len - 2] = (uint8_t)crc;
    b[len - 1] = (uint8_t)(crc >> 8);
}

static sp_frame_header make_header(uint8_t type, uint8_t rate, uint8_t range, uint8_t boot, uint32_t seq, uint32_t tick)
{
    sp_frame_header h = {0};
    h.type = type;
    h.rate_code = rate;
    h.range_code = range;
    h.boot_id = boot;
    h.seq = seq;
    h.tick = tick;
    return h;
}

static size_t frame_vector(const char *name, const char *description, sp_frame_header h, unsigned n, size_t max_bytes,
                           uint8_t *bytes)
{
    unsigned fit = sp_samples_that_fit((const int16_t(*)[3])samples, n, max_bytes);
    size_t len = sp_encode_frame(&h, (const int16_t(*)[3])samples, fit, bytes, max_bytes);
    static sp_frame f;
    size_t consumed;
    if (len == 0 || sp_decode_frame(bytes, len, &f, &consumed) != SP_OK) {
        fprintf(stderr, "gen_vectors: %s does not round-trip\n", name);
        exit(3);
    }
    item_start();
    fprintf(out, "{\"name\": \"%s\", \"description\": \"%s\", \"hex\": ", name, description);
    hex(bytes, len);
    fprintf(out,
            ",\n   \"frame\": {\"version\": %u, \"type\": %u, \"rateCode\": %u, \"rangeCode\": %u, \"deltaWidth\": %u, "
            "\"bootId\": %u, \"seq\": %lu, \"tick\": %lu, \"count\": %u,\n    \"samples\": [",
            f.header.version, f.header.type, f.header.rate_code, f.header.range_code, f.header.delta_width,
            f.header.boot_id, (unsigned long)f.header.seq, (unsigned long)f.header.tick, f.header.count);
    for (unsigned k = 0; k < f.header.count; k++) {
        fprintf(out, "%s[%d, %d, %d]", k ? ", " : "", f.samples[k][0], f.samples[k][1], f.samples[k][2]);
    }
    fputs("]}}", out);
    return len;
}

static void corrupt_vector(const char *name, const char *description, const uint8_t *bytes, size_t len)
{
    static sp_frame f;
    size_t consumed;
    sp_result r = sp_decode_frame(bytes, len, &f, &consumed);
    if (r == SP_OK) {
        fprintf(stderr, "gen_vectors: corrupt vector %s was accepted\n", name);
        exit(3);
    }
    item_start();
    fprintf(out, "{\"name\": \"%s\", \"description\": \"%s\", \"hex\": ", name, description);
    hex(bytes, len);
    fprintf(out, ", \"rejection\": \"%s\"}", sp_result_name(r));
}

static void write_crc(const char *dir)
{
    begin_array(dir, "crc.json");
    const char *inputs[] = {"123456789", "", "A", "Sensing wristband protocol v1"};
    for (int i = 0; i < 4; i++) {
        item_start();
        fputs("{\"hex\": ", out);
        hex((const uint8_t *)inputs[i], strlen(inputs[i]));
        fprintf(out, ", \"crc\": %u}", sp_crc16((const uint8_t *)inputs[i], strlen(inputs[i])));
    }
    uint8_t ramp[256];
    for (int i = 0; i < 256; i++) ramp[i] = (uint8_t)i;
    item_start();
    fputs("{\"hex\": ", out);
    hex(ramp, sizeof ramp);
    fprintf(out, ", \"crc\": %u}", sp_crc16(ramp, sizeof ramp));
    end_array();
}

static void scripted(unsigned n, uint32_t from)
{
    for (unsigned k = 0; k < n; k++) scripted_sample(from + k, &samples[k][0], &samples[k][1], &samples[k][2]);
}

static void random_walk(unsigned n, int spread)
{
    for (unsigned k = 0; k < n; k++) {
        for (int a = 0; a < 3; a++) {
            int base = k ? samples[k - 1][a] : (int)(rng_next() % 8192) - 4096;
            samples[k][a] = (int16_t)(base + (int)(rng_next() % (unsigned)(2 * spread + 1)) - spread);
        }
    }
}

static void write_frames_and_corrupt(const char *dir)
{
    uint8_t bytes[SP_MAX_FRAME_BYTES], base[SP_MAX_FRAME_BYTES], b[SP_MAX_FRAME_BYTES];
    sp_frame_header live = make_header(SP_FRAME_LIVE, 3, 2, 5, 0, 0);
    begin_array(dir, "frames.json");

    scripted(1, 0);
    frame_vector("single_sample_mtu23", "one sample: the smallest frame, 20 bytes, fits ATT MTU 23", live, 1, 20, bytes);
    for (unsigned k = 0; k < SP_MAX_SAMPLES; k++) {
        samples[k][0] = 12; samples[k][1] = -7; samples[k][2] = 4096;
    }
    frame_vector("still_255_samples", "a perfectly still sensor: width 0, 255 samples in 20 bytes",
                 make_header(SP_FRAME_LIVE, 1, 2, 5, 1000, 40000), SP_MAX_SAMPLES, 244, bytes);
    for (unsigned k = 0; k < 40; k++) {
        samples[k][0] = (int16_t)(100 - (int)(k % 2)); samples[k][1] = (int16_t)(-(int)(k / 3 % 2)); samples[k][2] = 4096;
    }
    frame_vector("width_1", "deltas of -1 and 0 only: width 1", live, 40, 244, bytes);
    samples[0][0] = 32767; samples[0][1] = -32768; samples[0][2] = 0;
    samples[1][0] = -32768; samples[1][1] = 32767; samples[1][2] = 0;
    samples[2][0] = 32767; samples[2][1] = -32768; samples[2][2] = -1;
    frame_vector("wrapping_deltas", "+32767 to -32768 is a delta of +1 modulo 2^16 (width 2)", live, 3, 244, bytes);
    samples[0][0] = 0; samples[0][1] = 0; samples[0][2] = 0;
    samples[1][0] = -32768; samples[1][1] = 16384; samples[1][2] = 0;
    samples[2][0] = 0; samples[2][1] = 0; samples[2][2] = 32767;
    frame_vector("width_16", "deltas needing the full 16 bits", live, 3, 244, bytes);
    samples[0][0] = -48; samples[0][1] = 357; samples[0][2] = 4068;
    samples[1][0] = -52; samples[1][1] = 364; samples[1][2] = 4067;
    samples[2][0] = -40; samples[2][1] = 383; samples[2][2] = 4053;
    frame_vector("polar_pmd_example", "the samples of Polar's PMD delta example, in this protocol's encoding", live, 3,
                 244, bytes);
    const uint16_t mtus[] = {23, 64, 185, 247};
    const char *names[] = {"scripted_mtu23", "scripted_mtu64", "scripted_mtu185", "scripted_mtu247"};
    for (int m = 0; m < 4; m++) {
        scripted(SP_MAX_SAMPLES, 0);
        size_t len = frame_vector(names[m], "the shared test signal (README vectors), packed for this ATT MTU", live,
                                  SP_MAX_SAMPLES, mtus[m] - 3u, bytes);
        if (m == 2) memcpy(base, bytes, len);
    }
    scripted(SP_MAX_SAMPLES, 0);
    frame_vector("historical_edges", "historical, boot 255, last possible indices, tick about to wrap, 400 Hz, 16 g",
                 make_header(SP_FRAME_HISTORICAL, 5, 3, 255, 0xFFFFFFFFu - 9u, 0xFFFFFFF0u), 10, 244, bytes);
    const int spreads[] = {2, 5, 20, 100, 300, 1000, 3000};
    char name[64];
    for (int i = 0; i < 7; i++) {
        random_walk(SP_MAX_SAMPLES, spreads[i]);
        snprintf(name, sizeof name, "random_walk_%d", spreads[i]);
        frame_vector(name, "random walk, xorshift32, packed into 244 bytes",
                     make_header((uint8_t)(1 + i % 2), (uint8_t)(i % 6), (uint8_t)(i % 4), (uint8_t)(i * 40), rng_next() >> 4,
                                 rng_next()),
                     SP_MAX_SAMPLES, 244, bytes);
    }
    end_array();

    /* base = scripted_mtu185 frame */
    size_t blen = sp_frame_length(base[11], base[1] & 0x1Fu);
    begin_array(dir, "corrupt.json");
    memcpy(b, base, blen); b[blen - 1] ^= 0x01;
    corrupt_vector("crc_bit_flip", "one bit of the CRC flipped", b, blen);
    memcpy(b, base, blen); b[30] ^= 0x10;
    corrupt_vector("delta_bit_flip", "one bit of the deltas flipped", b, blen);
    memcpy(b, base, blen); b[14] ^= 0x80; b[15] ^= 0x01;
    corrupt_vector("reference_two_bit_flips", "two bits of the reference sample flipped", b, blen);
    memcpy(b, base, blen); b[3] ^= 0x01;
    corrupt_vector("seq_bit_flip", "one bit of the sequence number flipped", b, blen);
    corrupt_vector("truncated_by_one", "the last byte missing", base, blen - 1);
    corrupt_vector("truncated_header", "only 11 header bytes", base, 11);
    corrupt_vector("empty", "no bytes at all", base, 0);
    memcpy(b, base, blen); b[0] = (uint8_t)((b[0] & 0x1Fu) | (2u << 5)); fix_crc(b, blen);
    corrupt_vector("version_2", "protocol version 2 with a valid CRC", b, blen);
    memset(b, 0, 20);
    corrupt_vector("all_zero", "20 zero bytes", b, 20);
    memset(b, 0xFF, 20);
    corrupt_vector("all_ff", "20 bytes of 0xFF", b, 20);
    memcpy(b, base, blen); b[0] = (uint8_t)(b[0] & ~0x18u); fix_crc(b, blen);
    corrupt_vector("type_0", "frame type 0 (reserved) with a valid CRC", b, blen);
    memcpy(b, base, blen); b[0] = (uint8_t)(b[0] | 0x18u); fix_crc(b, blen);
    corrupt_vector("type_3", "frame type 3 (reserved) with a valid CRC", b, blen);
    memcpy(b, base, blen); b[0] = (uint8_t)((b[0] & ~7u) | 6u); fix_crc(b, blen);
    corrupt_vector("rate_code_6", "rate code 6 (reserved) with a valid CRC", b, blen);
    memcpy(b, base, blen); b[1] |= 0x20u; fix_crc(b, blen);
    corrupt_vector("reserved_bit", "format bit 5 set with a valid CRC", b, blen);
    memcpy(b, base, blen); b[1] = (uint8_t)((b[1] & 0xE0u) | 17u); fix_crc(b, blen);
    corrupt_vector("width_17", "delta width 17", b, blen);
    memcpy(b, base, blen); b[11] = 0; fix_crc(b, blen);
    corrupt_vector("count_0", "sample count 0", b, blen);
    scripted(1, 0);
    size_t one = sp_encode_frame(&live, (const int16_t(*)[3])samples, 1, b, sizeof b);
    b[1] |= 3u; fix_crc(b, one);
    corrupt_vector("single_sample_with_width", "one sample but width 3", b, one);
    memcpy(b, base, blen); b[11] = 255; b[1] = (uint8_t)((b[1] & 0xE0u) | 16u);
    corrupt_vector("too_long", "255 samples at width 16 would be 1544 bytes", b, blen);
    scripted(2, 0);
    sp_frame_header near_end = live;
    size_t two = sp_encode_frame(&near_end, (const int16_t(*)[3])samples, 2, b, sizeof b);
    b[3] = b[4] = b[5] = b[6] = 0xFF; fix_crc(b, two);
    corrupt_vector("sequence_overflow", "seq 0xFFFFFFFF with 2 samples", b, two);
    /* Padding: scripted 2-sample frame has 3*w bits of deltas; set the top padding bit. */
    if ((3u * (b[1] & 0x1Fu)) % 8u == 0) {
        fprintf(stderr, "gen_vectors: padding vector needs a width that leaves padding\n");
        exit(3);
    }
    two = sp_encode_frame(&live, (const int16_t(*)[3])samples, 2, b, sizeof b);
    b[two - 3] |= 0x80u; fix_crc(b, two);
    corrupt_vector("non_zero_padding", "a padding bit set, CRC valid", b, two);
    /* Non-canonical: delta (1, 0, 0) needs width 2 but is packed at width 3. */
    samples[0][0] = 10; samples[0][1] = 20; samples[0][2] = 30;
    samples[1][0] = 11; samples[1][1] = 20; samples[1][2] = 30;
    two = sp_encode_frame(&live, (const int16_t(*)[3])samples, 2, b, sizeof b);
    memset(b + 18, 0, 2);
    b[1] = (uint8_t)((b[1] & 0xE0u) | 3u);
    b[18] = 0x01; /* x = 001, y = 000, z = 000: 9 bits in 2 bytes */
    fix_crc(b, 22);
    corrupt_vector("non_canonical_width", "deltas that fit width 2 packed at width 3, CRC valid", b, 22);
    end_array();
}

/* ---------- control.json: a scripted session; the C# simulated device must reproduce every byte ---------- */

static sp_device dev;
static capture cap;
static int first_step;

static void outputs(void)
{
    fputs(", \"notifications\": [", out);
    for (int i = 0; i < cap.notified.count; i++) {
        if (i) fputs(", ", out);
        hex(cap.notified.bytes[i], cap.notified.length[i]);
    }
    fputs("], \"indications\": [", out);
    for (int i = 0; i < cap.indicated.count; i++) {
        if (i) fputs(", ", out);
        hex(cap.indicated.bytes[i], cap.indicated.length[i]);
    }
    fputs("]}", out);
    capture_clear(&cap);
}

static void step_open(const char *kind, const char *note)
{
    fputs(first_step ? "\n  " : ",\n  ", out);
    first_step = 0;
    fprintf(out, "{\"step\": \"%s\", \"note\": \"%s\"", kind, note);
}

static void s_samples(uint32_t from, uint32_t n, uint32_t tick0, const char *note)
{
    step_open("samples", note);
    fprintf(out, ", \"from\": %lu, \"count\": %lu, \"tick0\": %lu", (unsigned long)from, (unsigned long)n,
            (unsigned long)tick0);
    feed(&dev, from, n, tick0);
    outputs();
}

static void s_simple(const char *kind, const char *note)
{
    step_open(kind, note);
    if (strcmp(kind, "flush") == 0) sp_device_flush(&dev);
    if (strcmp(kind, "flush_live") == 0) sp_device_flush_live(&dev);
    if (strcmp(kind, "reset") == 0) sp_device_reset(&dev);
    if (strcmp(kind, "pump") == 0) sp_device_pump_backfill(&dev);
    if (strcmp(kind, "pump_all") == 0) {
        while (sp_device_pump_backfill(&dev)) {
        }
    }
    outputs();
}

static void s_mtu(uint16_t mtu, const char *note)
{
    step_open("mtu", note);
    fprintf(out, ", \"mtu\": %u", mtu);
    cap.mtu = mtu;
    sp_device_set_mtu(&dev, mtu);
    outputs();
}

static void s_request(const uint8_t *req, size_t n, uint32_t tick, const char *note)
{
    step_open("request", note);
    fprintf(out, ", \"tick\": %lu, \"hex\": ", (unsigned long)tick);
    hex(req, n);
    sp_device_control(&dev, req, n, tick);
    outputs();
}

static void s_status(uint32_t tick, const char *note)
{
    uint8_t st[SP_STATUS_BYTES];
    sp_device_status(&dev, tick, st);
    step_open("status", note);
    fprintf(out, ", \"tick\": %lu, \"hex\": ", (unsigned long)tick);
    hex(st, sizeof st);
    outputs();
}

static void u32le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static void backfill_req(uint8_t *r, uint8_t boot, uint32_t first, uint32_t last)
{
    r[0] = SP_OP_BACKFILL; r[1] = boot; u32le(r + 2, first); u32le(r + 6, last);
}

static void write_control(const char *dir)
{
    out = open_file(dir, "control.json");
    fputs("{\"device\": {\"bootId\": 5, \"ringSlots\": 6, \"firmware\": [1, 0], \"battery\": 100, \"rateCode\": 3, "
          "\"rangeCode\": 2},\n \"steps\": [",
          out);
    first_step = 1;
    sp_device_init(&dev, capture_io(&cap), 5, 6);
    uint8_t r[16];
    s_status(0, "fresh device, storage empty");
    s_mtu(23, "connect at the minimum ATT MTU");
    r[0] = SP_OP_READ_CLOCK;
    s_request(r, 1, 100, "READ_CLOCK before SET_TIME: wall 0");
    r[0] = SP_OP_SET_TIME; u32le(r + 1, 0x4F7A6000u); u32le(r + 5, 0x00060A24u); /* 1700000000000000 us */
    s_request(r, 9, 150, "SET_TIME 2023-11-14T22:13:20Z");
    r[0] = SP_OP_READ_CLOCK;
    s_request(r, 1, 1150, "READ_CLOCK one second later");
    r[0] = 0x7F; r[1] = 0x01;
    s_request(r, 2, 1200, "unknown opcode");
    s_request(r, 0, 1200, "empty write");
    r[0] = SP_OP_SET_TIME;
    s_request(r, 3, 1200, "SET_TIME too short");
    r[0] = SP_OP_SET_SENSOR; r[1] = 6; r[2] = 0;
    s_request(r, 3, 1200, "SET_SENSOR with rate code 6");
    r[0] = SP_OP_START_LIVE;
    s_request(r, 1, 1200, "START_LIVE");
    s_samples(0, 12, 1300, "live at MTU 23: one sample per frame");
    s_mtu(100, "MTU raised mid-stream");
    s_samples(12, 90, 1420, "live packed for MTU 100");
    s_mtu(40, "MTU lowered under an open frame");
    s_samples(102, 30, 2320, "live packed for MTU 40");
    s_simple("flush_live", "latency bound: send the pending live samples");
    s_simple("flush", "close the stored frame");
    r[0] = SP_OP_STOP_LIVE;
    s_request(r, 1, 2700, "STOP_LIVE");
    s_mtu(0, "disconnect");
    s_samples(132, 900, 2700, "recording while away; storage overflows (no events without a link)");
    s_simple("flush", "close the open frame");
    s_mtu(64, "reconnect");
    s_status(9000, "overflow flag, oldest stored position, dropped count");
    backfill_req(r, 5, 0, 99);
    s_request(r, 10, 9000, "BACKFILL of a range no longer stored");
    backfill_req(r, 5, 0, SP_BACKFILL_SINCE);
    s_request(r, 10, 9000, "BACKFILL since 0: starts later than asked (gap reported)");
    s_simple("pump", "one historical frame");
    s_simple("pump", "another");
    s_mtu(0, "disconnect in the middle of the backfill");
    s_mtu(23, "reconnect at MTU 23");
    r[0] = SP_OP_READ_CLOCK;
    s_request(r, 1, 9500, "READ_CLOCK: same boot, clock still set");
    s_status(9500, "backfill no longer running");
    s_request(r, 0, 9500, "empty write again");
    backfill_req(r, 5, 600, SP_BACKFILL_SINCE);
    s_request(r, 10, 9600, "resume: BACKFILL since 600 (dropped already: replay starts at the oldest stored)");
    backfill_req(r, 5, 0, 10);
    s_request(r, 10, 9600, "BACKFILL while one runs: BUSY");
    s_simple("pump_all", "stored frames re-split for MTU 23, then BACKFILL_DONE");
    r[0] = SP_OP_ACK; r[1] = 5; u32le(r + 2, 700);
    s_request(r, 6, 9700, "ACK up to 700: frames straddling 700 stay");
    s_status(9700, "overflow flag cleared by the ACK");
    s_simple("reset", "device reset: boot 6, clock lost, unacknowledged data kept");
    s_samples(0, 60, 0, "new boot recording while disconnected");
    s_simple("flush", "close the open frame");
    s_mtu(185, "reconnect");
    r[0] = SP_OP_READ_CLOCK;
    s_request(r, 1, 800, "READ_CLOCK after reset: boot 6, wall 0 (never 1970 or 2019)");
    s_status(800, "after reset");
    backfill_req(r, 5, 700, SP_BACKFILL_SINCE);
    s_request(r, 10, 800, "BACKFILL since old boot 5 index 700: old boot tail then all of boot 6");
    s_simple("pump_all", "replay across the boot change");
    r[0] = SP_OP_ABORT_BACKFILL;
    s_request(r, 1, 900, "ABORT_BACKFILL with none running");
    backfill_req(r, 6, 0, SP_BACKFILL_SINCE);
    s_request(r, 10, 900, "BACKFILL boot 6 since 0");
    r[0] = SP_OP_ABORT_BACKFILL;
    s_request(r, 1, 900, "ABORT_BACKFILL while running: response, then BACKFILL_DONE status 1");
    r[0] = SP_OP_ACK; r[1] = 5; u32le(r + 2, 10000);
    s_request(r, 6, 950, "ACK of old boot 5: frees what remains of it");
    r[0] = SP_OP_ACK; r[1] = 9; u32le(r + 2, 10);
    s_request(r, 6, 950, "ACK of a boot not stored");
    r[0] = SP_OP_ACK; r[1] = 6; u32le(r + 2, 60);
    s_request(r, 6, 960, "ACK everything");
    r[0] = SP_OP_SET_SENSOR; r[1] = 1; r[2] = 1;
    s_request(r, 3, 970, "SET_SENSOR 25 Hz, 4 g");
    backfill_req(r, 6, 0, 5);
    s_request(r, 10, 980, "BACKFILL with storage empty");
    s_status(990, "empty storage, 25 Hz 4 g");
    fputs("\n]}\n", out);
    fclose(out);
}

static void write_status(const char *dir)
{
    begin_array(dir, "status.json");
    sp_device_init(&dev, capture_io(&cap), 200, 16);
    const uint32_t ticks[] = {0, 123456789u, 0xFFFFFFFFu};
    for (int i = 0; i < 3; i++) {
        if (i == 1) {
            feed(&dev, 0, 5000, 0);
            sp_device_flush(&dev);
            dev.battery = 57;
            dev.live = 1;
            dev.clock_set = 1;
        }
        if (i == 2) {
            dev.battery = 0xFF;
            dev.dropped_samples = 0x01000000u;
            dev.range_code = 3;
            dev.rate_code = 0;
        }
        uint8_t st[SP_STATUS_BYTES];
        sp_device_status(&dev, ticks[i], st);
        item_start();
        fputs("{\"hex\": ", out);
        hex(st, sizeof st);
        fprintf(out,
                ", \"fields\": {\"protocolVersion\": %u, \"firmwareMajor\": %u, \"firmwareMinor\": %u, \"battery\": %u, "
                "\"flags\": %u, \"bootId\": %u, \"tick\": %lu, \"rateCode\": %u, \"rangeCode\": %u, \"storageFill\": %u, "
                "\"oldestBootId\": %u, \"oldestSeq\": %lu, \"droppedSamples\": %lu}}",
                st[0], st[1], st[2], st[3], st[4], st[5], (unsigned long)ticks[i], st[10] & 7u, st[10] >> 6, st[11],
                st[12], (unsigned long)(st[13] | (uint32_t)st[14] << 8 | (uint32_t)st[15] << 16 | (uint32_t)st[16] << 24),
                (unsigned long)(st[17] | (uint32_t)st[18] << 8 | (uint32_t)st[19] << 16));
    }
    end_array();
}

/* 100 frames per mutation kind of tests/mutate.h with this decoder's verdict: the C# decoder must agree on each. */
static void write_mutations(const char *dir)
{
    begin_array(dir, "mutations.json");
    uint8_t b[SP_MAX_FRAME_BYTES];
    for (int i = 0; i < 100 * MUT_KINDS; i++) {
        int kind = i % MUT_KINDS;
        size_t len = mutate(b, mutation_source(b, samples), kind);
        static sp_frame f;
        size_t consumed;
        sp_result r = sp_decode_frame(b, len, &f, &consumed);
        item_start();
        fprintf(out, "{\"kind\": \"%s\", \"hex\": ", mutation_names[kind]);
        hex(b, len);
        fprintf(out, ", \"rejection\": \"%s\"}", sp_result_name(r));
    }
    end_array();
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen_vectors <output-directory>\n");
        return 2;
    }
    write_crc(argv[1]);
    write_frames_and_corrupt(argv[1]);
    write_control(argv[1]);
    write_status(argv[1]);
    write_mutations(argv[1]);
    return check_failures ? 1 : 0;
}
