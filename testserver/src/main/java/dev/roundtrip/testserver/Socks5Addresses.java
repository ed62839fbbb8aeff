package dev.roundtrip.testserver;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Socks5Addresses holds the address helpers of {@link Socks5Server}: the default resolver, which
 * never asks DNS, and the text form of requested addresses.
 */
final class Socks5Addresses {
  private Socks5Addresses() {}

  /**
   * Resolves {@code localhost} to {@code 127.0.0.1} and parses IPv4 and IPv6 literals (brackets
   * optional) without any lookup; returns null for any other name.
   */
  static InetAddress defaultResolve(String name) {
    try {
      if (name.equalsIgnoreCase("localhost")) {
        return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
      }
      byte[] v4 = parseIpv4(name);
      if (v4 != null) {
        return InetAddress.getByAddress(v4);
      }
      String v6 = name.startsWith("[") && name.endsWith("]")
          ? name.substring(1, name.length() - 1) : name;
      if (v6.indexOf(':') >= 0 && v6.matches("[0-9A-Fa-f:.]+")) {
        // Bracketed, so that the JDK parses it or fails without a DNS lookup.
        return InetAddress.getByName("[" + v6 + "]");
      }
      return null;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** Returns the 4 bytes of a dotted-quad literal such as {@code 127.0.0.1}, else null. */
  static byte[] parseIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  /** Returns the dotted-quad text of 4 address bytes. */
  static String ipv4Text(byte[] a) {
    return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
  }

  /**
   * Returns the RFC 5952 text of 16 address bytes: lower-case hex, no leading zeros, the longest
   * run of two or more zero groups (the first of equal runs) written {@code ::}.
   */
  static String ipv6Text(byte[] a) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1; // a single zero group is not compressed (RFC 5952 §4.2.2)
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLength - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(groups[i]));
    }
    return sb.toString();
  }
}
