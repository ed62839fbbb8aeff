package dev.roundtrip.testserver.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** H2TestServerTest drives the HTTP/2 test server with a raw frame client. */
class H2TestServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void answersGetWithHeadersDataAndRecordsTheRequest() throws Exception {
    try (H2TestServer server = H2TestServer.start();
        RawH2Client c = new RawH2Client(server)) {
      H2Frame settings = c.read();
      assertThat(settings.type()).isEqualTo(H2Frame.SETTINGS);
      c.get(1, "/hello");
      H2Frame headers = c.readUntil(H2Frame.HEADERS);
      assertThat(c.decode(headers).get(0)).containsExactly(":status", "200");
      H2Frame data = c.readUntil(H2Frame.DATA);
      assertThat(new String(data.payload())).isEqualTo("ok");
      assertThat(data.hasFlag(H2Frame.END_STREAM)).isTrue();
      H2Request r = server.takeRequest();
      assertThat(r.path()).isEqualTo("/hello");
      assertThat(r.streamId()).isEqualTo(1);
      assertThat(r.clientPort()).isEqualTo(c.socket.getLocalPort());
      assertThat(server.frames()).extracting(H2Frame::type)
          .containsExactly(H2Frame.SETTINGS, H2Frame.HEADERS); // what the client sent, in order
      assertThat(server.awaitFrame(f -> f.type() == H2Frame.HEADERS, WAIT).connection()).isZero();
    }
  }

  @Test
  void scriptedResponseWithInformationalBodyAndTrailers() throws Exception {
    try (H2TestServer server = H2TestServer.start();
        RawH2Client c = new RawH2Client(server)) {
      server.enqueue(H2Response.status(201).informational(103).header("x-a", "1").body("hello")
          .dataFrameSize(2).trailer("grpc-status", "0"));
      c.get(1, "/");
      assertThat(c.decode(c.readUntil(H2Frame.HEADERS)).get(0)[1]).isEqualTo("103");
      List<String[]> head = c.decode(c.readUntil(H2Frame.HEADERS));
      assertThat(head.get(0)[1]).isEqualTo("201");
      assertThat(head.get(1)).containsExactly("x-a", "1");
      StringBuilder body = new StringBuilder();
      H2Frame f;
      while ((f = c.read()).type() == H2Frame.DATA) {
        assertThat(f.payload().length).isLessThanOrEqualTo(2);
        body.append(new String(f.payload()));
      }
      assertThat(body.toString()).isEqualTo("hello");
      assertThat(f.type()).isEqualTo(H2Frame.HEADERS);
      assertThat(f.hasFlag(H2Frame.END_STREAM)).isTrue();
      assertThat(c.decode(f).get(0)).containsExactly("grpc-status", "0");
    }
  }

  @Test
  void refusesTheFirstStreamThenServes() throws Exception {
    try (H2TestServer server = H2TestServer.start(H2Options.defaults().refuseStreams(1));
        RawH2Client c = new RawH2Client(server)) {
      c.get(1, "/");
      H2Frame rst = c.readUntil(H2Frame.RST_STREAM);
      assertThat(rst.streamId()).isEqualTo(1);
      assertThat(rst.errorCode()).isEqualTo(7);
      c.get(3, "/");
      assertThat(c.readUntil(H2Frame.HEADERS).streamId()).isEqualTo(3);
      assertThat(server.refusedStreams()).isEqualTo(1);
    }
  }

  @Test
  void streamPastTheAdvertisedLimitIsRefusedAndCounted() throws Exception {
    try (H2TestServer server = H2TestServer.start(H2Options.defaults().settings(3, 1));
        RawH2Client c = new RawH2Client(server)) {
      server.enqueue(H2Response.status(200).stallAfterHeaders());
      c.get(1, "/slow");
      assertThat(c.readUntil(H2Frame.HEADERS).streamId()).isEqualTo(1);
      c.get(3, "/second");
      H2Frame rst = c.readUntil(H2Frame.RST_STREAM);
      assertThat(rst.streamId()).isEqualTo(3);
      assertThat(server.streamLimitViolations()).isEqualTo(1);
    }
  }

  @Test
  void pingsAreAnsweredUnlessToldNot() throws Exception {
    try (H2TestServer server = H2TestServer.start();
        RawH2Client c = new RawH2Client(server)) {
      c.frame(H2Frame.PING, 0, 0, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
      H2Frame ack = c.readUntil(H2Frame.PING);
      assertThat(ack.hasFlag(H2Frame.ACK)).isTrue();
      assertThat(ack.payload()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }
    try (H2TestServer server = H2TestServer.start(H2Options.defaults().answerPings(false));
        RawH2Client c = new RawH2Client(server)) {
      c.frame(H2Frame.PING, 0, 0, new byte[8]);
      c.get(1, "/");
      H2Frame f;
      while ((f = c.read()).type() != H2Frame.DATA) {
        assertThat(f.type()).as("a PING ACK before the response").isNotEqualTo(H2Frame.PING);
      }
    }
  }

  @Test
  void aLargerConnectionWindowIsOpenedRightAfterTheSettings() throws Exception {
    try (H2TestServer server = H2TestServer.start(H2Options.defaults().connectionWindow(1 << 20));
        RawH2Client c = new RawH2Client(server)) {
      assertThat(c.read().type()).isEqualTo(H2Frame.SETTINGS);
      H2Frame update = c.read();
      assertThat(update.type()).isEqualTo(H2Frame.WINDOW_UPDATE);
      assertThat(update.streamId()).isZero();
      assertThat(update.increment()).isEqualTo((1 << 20) - 65535);
    }
    try (H2TestServer server = H2TestServer.start();
        RawH2Client c = new RawH2Client(server)) {
      assertThat(c.read().type()).isEqualTo(H2Frame.SETTINGS);
      c.get(1, "/");
      assertThat(c.read().type()).as("no WINDOW_UPDATE by default").isNotEqualTo(H2Frame.WINDOW_UPDATE);
    }
    assertThatThrownBy(() -> H2Options.defaults().connectionWindow(65534))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void silentServerNeverWrites() throws Exception {
    try (H2TestServer server = H2TestServer.start(H2Options.defaults().silent(true));
        RawH2Client c = new RawH2Client(server)) {
      c.socket.setSoTimeout(300);
      assertThatThrownBy(c::read).isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void faultsHaveTheirShapeOnTheWire() throws Exception {
    try (H2TestServer server = H2TestServer.start();
        RawH2Client c = new RawH2Client(server)) {
      server.enqueue(H2Response.oversizedData(20000));
      server.enqueue(H2Response.continuationFlood(3, 0));
      c.get(1, "/");
      H2Frame data = c.readUntil(H2Frame.DATA);
      assertThat(data.payload()).hasSize(20000);
      c.get(3, "/");
      H2Frame h = c.readUntil(H2Frame.HEADERS);
      assertThat(h.hasFlag(H2Frame.END_HEADERS)).isFalse();
      for (int i = 0; i < 3; i++) {
        H2Frame cont = c.read();
        assertThat(cont.type()).isEqualTo(H2Frame.CONTINUATION);
        assertThat(cont.payload()).isEmpty();
      }
    }
  }

  @Test
  void hpackBombDecodesToTheAdvertisedExpansion() throws Exception {
    try (H2TestServer server = H2TestServer.start();
        RawH2Client c = new RawH2Client(server)) {
      server.enqueue(H2Response.hpackBomb(100));
      c.get(1, "/");
      List<String[]> fields = c.decode(c.readUntil(H2Frame.HEADERS));
      assertThat(fields).hasSize(102); // :status, the literal, 100 references
      assertThat(fields.get(101)[1]).hasSize(4000);
    }
  }

  @Test
  void goAwayAndResetFromAHandler() throws Exception {
    try (H2TestServer server = H2TestServer.start();
        RawH2Client c = new RawH2Client(server)) {
      server.setDispatcher(ex -> {
        if (ex.streamId() == 1) {
          ex.connection().awaitRequests(2, WAIT);
          ex.connection().goAway(1, 0, "bye");
          ex.respond(H2Response.status(200).body("first"));
        }
      });
      c.get(1, "/a");
      c.get(3, "/b");
      H2Frame goAway = c.readUntil(H2Frame.GOAWAY);
      assertThat(Bytes.int32(goAway.payload(), 0)).isEqualTo(1);
      assertThat(c.readUntil(H2Frame.HEADERS).streamId()).isEqualTo(1);
      assertThat(server.connections().get(0).requests()).hasSize(2);
    }
  }
}
