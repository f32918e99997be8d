/* A random generator that always fails, as libcrypto's RAND_bytes does
 * when it cannot seed: loaded into a test's own server (OwnServer's
 * preload) ahead of mod_authgate, whose calls it then answers. */
int RAND_bytes(unsigned char *buf, int num);

int RAND_bytes(unsigned char *buf, int num)
{
    (void)buf;
    (void)num;
    return 0;
}
