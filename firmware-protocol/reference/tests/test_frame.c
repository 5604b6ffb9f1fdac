/* Frame codec: CRC check value, canonical widths, round trips, MTU packing, every truncation. */
#include "check.h"
#include "sensing_protocol.h"

#include <string.h>

static int16_t samples[SP_MAX_SAMPLES][3];

static void fill(unsigned n, int spread)
{
    for (unsigned k = 0; k < n; k++) {
        for (int a = 0; a < 3; a++) {
            int base = k ? samples[k - 1][a] : (int)(rng_next() % 8192) - 4096;
            int d = spread ? (int)(rng_next() % (unsigned)(2 * spread + 1)) - spread : 0;
            samples[k][a] = (int16_t)(base + d);
        }
    }
}

static sp_frame_header header(unsigned seq)
{
    sp_frame_header h = {0};
    h.type = SP_FRAME_LIVE;
    h.rate_code = 3;
    h.range_code = 2;
    h.boot_id = 7;
    h.seq = seq;
    h.tick = 123456u;
    return h;
}

int main(void)
{
    const uint8_t check[] = "123456789";
    CHECK_EQ(sp_crc16(check, 9), 0x29B1);

    CHECK_EQ(sp_delta_width(0), 0);
    CHECK_EQ(sp_delta_width(-1), 1);
    CHECK_EQ(sp_delta_width(1), 2);
    CHECK_EQ(sp_delta_width(-2), 2);
    CHECK_EQ(sp_delta_width(2), 3);
    CHECK_EQ(sp_delta_width(32767), 16);
    CHECK_EQ(sp_delta_width(-32768), 16);
    CHECK_EQ(sp_frame_length(1, 0), 20);

    /* Round trip across sizes and spreads; the decoded frame equals the input and re-encodes to the same bytes. */
    static sp_frame decoded;
    uint8_t bytes[SP_MAX_FRAME_BYTES], again[SP_MAX_FRAME_BYTES];
    const int spreads[] = {0, 1, 3, 40, 700, 20000};
    for (int round = 0; round < 2000; round++) {
        int spread = spreads[round % 6];
        unsigned n = 1 + rng_next() % 120;
        fill(n, spread);
        unsigned fit = sp_samples_that_fit((const int16_t(*)[3])samples, n, SP_MAX_FRAME_BYTES);
        CHECK(fit >= 1 && fit <= n);
        sp_frame_header h = header(rng_next());
        if ((uint64_t)h.seq + fit > 0xFFFFFFFFull) h.seq = 0;
        size_t len = sp_encode_frame(&h, (const int16_t(*)[3])samples, fit, bytes, sizeof bytes);
        CHECK(len >= SP_MIN_FRAME_BYTES && len <= SP_MAX_FRAME_BYTES);
        size_t consumed = 0;
        CHECK_EQ(sp_decode_frame(bytes, len, &decoded, &consumed), SP_OK);
        CHECK_EQ(consumed, len);
        CHECK_EQ(decoded.header.count, fit);
        CHECK_EQ(decoded.header.seq, h.seq);
        CHECK(memcmp(decoded.samples, samples, fit * sizeof samples[0]) == 0);
        CHECK_EQ(sp_encode_frame(&decoded.header, (const int16_t(*)[3])decoded.samples, fit, again, sizeof again), len);
        CHECK(memcmp(bytes, again, len) == 0);
        /* Every strict prefix is truncated, never accepted. */
        for (size_t p = 0; p < len; p++) CHECK_EQ(sp_decode_frame(bytes, p, &decoded, &consumed), SP_REJECT_TRUNCATED);
    }

    /* Wrapping deltas: +32767 -> -32768 is a delta of 1 (width 2), not 65535. */
    samples[0][0] = 32767; samples[0][1] = 0; samples[0][2] = 0;
    samples[1][0] = -32768; samples[1][1] = 0; samples[1][2] = 0;
    sp_frame_header h = header(0);
    size_t len = sp_encode_frame(&h, (const int16_t(*)[3])samples, 2, bytes, sizeof bytes);
    CHECK_EQ(bytes[1] & 0x1F, 2);
    size_t consumed;
    CHECK_EQ(sp_decode_frame(bytes, len, &decoded, &consumed), SP_OK);
    CHECK_EQ(decoded.samples[1][0], -32768);

    /* Packing by MTU: the frame fits MTU-3, and one more sample would not (or 255 reached). */
    for (unsigned mtu = 23; mtu <= 247; mtu++) {
        fill(SP_MAX_SAMPLES, (int)(mtu % 5) * 30);
        unsigned fit = sp_samples_that_fit((const int16_t(*)[3])samples, SP_MAX_SAMPLES, mtu - 3u);
        len = sp_encode_frame(&h, (const int16_t(*)[3])samples, fit, bytes, mtu - 3u);
        CHECK(len > 0 && len <= mtu - 3u);
        if (fit < SP_MAX_SAMPLES) {
            CHECK_EQ(sp_encode_frame(&h, (const int16_t(*)[3])samples, fit + 1, bytes, mtu - 3u), 0);
        }
    }
    /* MTU 23 carries one sample; a still sensor fills 255 samples into a 20-byte frame. */
    fill(SP_MAX_SAMPLES, 0);
    CHECK_EQ(sp_samples_that_fit((const int16_t(*)[3])samples, SP_MAX_SAMPLES, 20), SP_MAX_SAMPLES);
    fill(SP_MAX_SAMPLES, 50);
    CHECK_EQ(sp_samples_that_fit((const int16_t(*)[3])samples, SP_MAX_SAMPLES, 20), 1);

    /* Encoder refuses what the decoder would reject. */
    h.seq = 0xFFFFFFFFu;
    CHECK_EQ(sp_encode_frame(&h, (const int16_t(*)[3])samples, 2, bytes, sizeof bytes), 0);
    h.seq = 0;
    h.rate_code = 6;
    CHECK_EQ(sp_encode_frame(&h, (const int16_t(*)[3])samples, 1, bytes, sizeof bytes), 0);
    return check_report("frame");
}
