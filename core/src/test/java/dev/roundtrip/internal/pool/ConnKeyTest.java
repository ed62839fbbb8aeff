package dev.roundtrip.internal.pool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** ConnKey is Go's connectMethodKey: its debug form and when the target is blanked (reference §2.1). */
class ConnKeyTest {

    @Test
    void directKeyHasGoDebugForm() {
        ConnKey k = ConnKey.of("", "http", "h:80");
        assertThat(k.toString()).isEqualTo("|http|h:80");
        assertThat(k).isEqualTo(new ConnKey("", "http", "h:80"));
        assertThat(ConnKey.of("", "https", "h:443").toString()).isEqualTo("|https|h:443");
    }

    @Test
    void plainHttpTargetBehindHttpProxyBlanksTheTarget() {
        ConnKey k = ConnKey.of("http://proxy:3128", "http", "h:80");
        assertThat(k.toString()).isEqualTo("http://proxy:3128|http|");
        assertThat(k.addr()).isEmpty();
        // One pool serves every plain-http target behind that proxy.
        assertThat(ConnKey.of("http://proxy:3128", "http", "other:8080")).isEqualTo(k);
    }

    @Test
    void plainHttpTargetBehindHttpsProxyBlanksTheTarget() {
        assertThat(ConnKey.of("https://proxy:443", "http", "h:80").toString()).isEqualTo("https://proxy:443|http|");
    }

    @Test
    void httpsTargetBehindProxyKeepsTheTargetBecauseItIsATunnel() {
        ConnKey k = ConnKey.of("http://proxy:3128", "https", "h:443");
        assertThat(k.toString()).isEqualTo("http://proxy:3128|https|h:443");
        assertThat(ConnKey.of("http://proxy:3128", "https", "other:443")).isNotEqualTo(k);
    }

    @Test
    void socks5ProxyKeepsTheTarget() {
        assertThat(ConnKey.of("socks5://proxy:1080", "http", "h:80").toString()).isEqualTo("socks5://proxy:1080|http|h:80");
        assertThat(ConnKey.of("socks5h://proxy:1080", "https", "h:443").toString())
                .isEqualTo("socks5h://proxy:1080|https|h:443");
    }

    @Test
    void sameTargetDirectAndProxiedAreDifferentKeys() {
        assertThat(ConnKey.of("", "https", "h:443")).isNotEqualTo(ConnKey.of("http://proxy:3128", "https", "h:443"));
    }

    @Test
    void aProxysUserInfoNeverAppearsInTheKeysText() {
        ConnKey k = ConnKey.of("http://user:s3cret@proxy.test:3128", "https", "h:443");
        assertThat(k.toString()).isEqualTo("http://***@proxy.test:3128|https|h:443");
        assertThat(k.proxy()).as("the key itself keeps it: connections differ by credentials").contains("s3cret");
        assertThat(ConnKey.of("http://token@proxy.test:3128", "https", "h:443").toString())
                .as("a token alone is a secret too").isEqualTo("http://***@proxy.test:3128|https|h:443");
        assertThat(ConnKey.of("socks5://a:b@p:1080", "http", "h:80").toString()).isEqualTo("socks5://***@p:1080|http|h:80");
        assertThat(ConnKey.of("http://proxy.test:3128", "https", "h:443").toString())
                .isEqualTo("http://proxy.test:3128|https|h:443");
    }
}
