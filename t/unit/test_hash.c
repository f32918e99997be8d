#include <string.h>

#include "ag_hash.h"
#include "tap.h"

int main(void)
{
    unsigned char md[AG_SHA256_LEN];
    char hex[2 * AG_SHA256_LEN + 1];
    const unsigned char bytes[] = {0x00, 0x0f, 0xa5, 0xff};

    ok(ag_sha256("abc", 3, md) == 1, "SHA-256 of \"abc\"");
    ag_hex_encode(md, sizeof(md), hex);
    is_str(hex,
           "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
           "FIPS 180-2 test vector");
    ok(ag_sha256("", 0, md) == 1, "SHA-256 of nothing");
    ag_hex_encode(md, sizeof(md), hex);
    is_str(hex,
           "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
           "the empty string's hash");
    ag_hex_encode(bytes, sizeof(bytes), hex);
    is_str(hex, "000fa5ff", "lower-case hex, leading zeros kept");
    ag_hex_encode(bytes, 0, hex);
    is_str(hex, "", "no bytes, empty string");
    return tap_done();
}
