/* Decoder-side checks under random mutations (the same mutation kinds the C# fuzz test uses):
 * - 1 to 3 flipped bits inside a frame are always rejected (CRC-16/CCITT has Hamming distance 4 at these lengths);
 * - any mutated input the decoder accepts is canonical: it re-encodes to exactly the accepted bytes;
 * - random bytes, truncations and byte-value changes never make the decoder read past the given length
 *   (the buffer is copied into an exact-size window at the end of a guard array that is checked afterwards). */
#include "check.h"
#include "sensing_protocol.h"

#include <string.h>

#define GUARD 64
static int16_t samples[SP_MAX_SAMPLES][3];
static sp_frame decoded;

static size_t valid_frame(uint8_t *out)
{
    unsigned n = 1 + rng_next() % 200;
    int spread = (int)(rng_next() % 5 == 0 ? 0 : 1u << (rng_next() % 12));
    for (unsigned k = 0; k < n; k++) {
        for (int a = 0; a < 3; a++) {
            int base = k ? samples[k - 1][a] : (int)(rng_next() % 8192) - 4096;
            samples[k][a] = (int16_t)(base + (spread ? (int)(rng_next() % (unsigned)(2 * spread + 1)) - spread : 0));
        }
    }
    sp_frame_header h = {0};
    h.type = (uint8_t)(1 + rng_next() % 2);
    h.rate_code = (uint8_t)(rng_next() % 6);
    h.range_code = (uint8_t)(rng_next() % 4);
    h.boot_id = (uint8_t)rng_next();
    h.seq = rng_next() >> 1;
    h.tick = rng_next();
    unsigned fit = sp_samples_that_fit((const int16_t(*)[3])samples, n, SP_MAX_FRAME_BYTES);
    return sp_encode_frame(&h, (const int16_t(*)[3])samples, fit, out, SP_MAX_FRAME_BYTES);
}

static uint8_t window[GUARD + SP_MAX_FRAME_BYTES + GUARD];

/* Decodes `bytes` placed so that its last byte touches the trailing guard; returns the result. */
static sp_result decode_guarded(const uint8_t *bytes, size_t len, size_t *consumed)
{
    memset(window, 0xA5, sizeof window);
    uint8_t *start = window + GUARD + (SP_MAX_FRAME_BYTES - len);
    memcpy(start, bytes, len);
    sp_result r = sp_decode_frame(start, len, &decoded, consumed);
    if (r == SP_OK) {
        uint8_t again[SP_MAX_FRAME_BYTES];
        size_t n = sp_encode_frame(&decoded.header, (const int16_t(*)[3])decoded.samples, decoded.header.count, again,
                                   sizeof again);
        CHECK_EQ(n, *consumed);
        CHECK(memcmp(again, start, n) == 0);
    }
    return r;
}

int main(void)
{
    uint8_t frame[SP_MAX_FRAME_BYTES], mutated[SP_MAX_FRAME_BYTES];
    long accepted_random = 0, rejected = 0, total = 0;
    for (int i = 0; i < 100000; i++) {
        size_t len = valid_frame(frame);
        size_t consumed;
        CHECK_EQ(decode_guarded(frame, len, &consumed), SP_OK);
        memcpy(mutated, frame, len);
        size_t mlen = len;
        int kind = (int)(rng_next() % 5);
        if (kind == 0) { /* 1..3 bit flips: always rejected */
            unsigned flips = 1 + rng_next() % 3, done = 0;
            unsigned pos[3] = {0, 0, 0};
            while (done < flips) {
                unsigned p = rng_next() % (unsigned)(len * 8);
                int dup = 0;
                for (unsigned j = 0; j < done; j++) dup |= pos[j] == p;
                if (!dup) pos[done++] = p;
            }
            for (unsigned j = 0; j < flips; j++) mutated[pos[j] / 8] ^= (uint8_t)(1u << (pos[j] % 8));
            sp_result r = decode_guarded(mutated, mlen, &consumed);
            CHECK(r != SP_OK);
        } else if (kind == 1) { /* truncation */
            mlen = rng_next() % len;
            CHECK(decode_guarded(mutated, mlen, &consumed) != SP_OK);
        } else if (kind == 2) { /* random byte values at random places */
            unsigned changes = 1 + rng_next() % 8;
            for (unsigned j = 0; j < changes; j++) mutated[rng_next() % len] = (uint8_t)rng_next();
            if (decode_guarded(mutated, mlen, &consumed) != SP_OK) rejected++;
        } else if (kind == 3) { /* entirely random bytes with a plausible first byte */
            mlen = 1 + rng_next() % SP_MAX_FRAME_BYTES;
            for (size_t j = 0; j < mlen; j++) mutated[j] = (uint8_t)rng_next();
            mutated[0] = (uint8_t)(0x20u | (rng_next() & 0x1Fu));
            if (decode_guarded(mutated, mlen, &consumed) == SP_OK) accepted_random++;
        } else { /* header field changed and the CRC recomputed: the field rules must still hold */
            mutated[rng_next() % SP_HEADER_BYTES] = (uint8_t)rng_next();
            if (mlen >= 2) {
                uint16_t crc = sp_crc16(mutated, mlen - 2);
                mutated[mlen - 2] = (uint8_t)crc;
                mutated[mlen - 1] = (uint8_t)(crc >> 8);
            }
            (void)decode_guarded(mutated, mlen, &consumed);
        }
        total++;
    }
    printf("mutation: %ld frames mutated, %ld random byte changes rejected, %ld random inputs accepted\n", total,
           rejected, accepted_random);
    CHECK(accepted_random < 10); /* ~1 in 65536 x header plausibility */
    return check_report("mutation");
}
