package dev.pool4j.hazelcast;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a member listens: loopback by default; else what the user named, once, with {@code
 * HazelcastBackend.network(...)} or the {@code Worker}'s {@code --network}: an IP address of this
 * machine, a network in CIDR notation ({@code 10.0.0.0/24}: this machine's address in it), an
 * interface's name ({@code eth0}: its address), or {@code 0.0.0.0} (every interface). Parsed when
 * it is given, resolved to one address when the member starts. Host names are not taken (they would
 * need a DNS look-up, and resolve to what the DNS says).
 */
final class Network {

  private enum Kind {
    ADDRESS,
    CIDR,
    INTERFACE,
    ANY
  }

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.:@-]{0,31}");

  /** The default: 127.0.0.1 only. (After the patterns, which parse uses.) */
  static final Network LOOPBACK = parse("127.0.0.1", "network");

  private final Kind kind;
  private final String spec;
  private final InetAddress address;
  private final int prefix;

  private Network(Kind kind, String spec, InetAddress address, int prefix) {
    this.kind = kind;
    this.spec = spec;
    this.address = address;
    this.prefix = prefix;
  }

  /**
   * Parses a network setting.
   *
   * @param setting the setting's name, for messages
   * @throws IllegalArgumentException naming the setting and what it takes
   */
  static Network parse(String spec, String setting) {
    Objects.requireNonNull(spec, setting);
    String s = spec.strip();
    if (s.equals("0.0.0.0") || s.equals("*")) {
      return new Network(Kind.ANY, s, null, 0);
    }
    int slash = s.indexOf('/');
    if (slash >= 0) {
      InetAddress a = literal(s.substring(0, slash), spec, setting);
      int bits = a instanceof Inet4Address ? 32 : 128;
      int p;
      try {
        p = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        p = -1;
      }
      if (p < 0 || p > bits) {
        throw wrong(spec, setting, "the prefix length must be 0.." + bits);
      }
      return new Network(Kind.CIDR, s, a, p);
    }
    if (isLiteral(s)) {
      return new Network(Kind.ADDRESS, s, literal(s, spec, setting), 0);
    }
    if (NAME.matcher(s).matches()) {
      return new Network(Kind.INTERFACE, s, null, 0);
    }
    throw wrong(spec, setting, null);
  }

  private static InetAddress literal(String s, String spec, String setting) {
    if (!isLiteral(s)) {
      throw wrong(spec, setting, "not an IP address");
    }
    try {
      return InetAddress.getByName(s); // a literal: no look-up
    } catch (UnknownHostException e) {
      throw wrong(spec, setting, "not an IP address");
    }
  }

  private static boolean isLiteral(String s) {
    return IPV4.matcher(s).matches() || IPV6.matcher(s).matches() && s.indexOf(':') >= 0;
  }

  private static IllegalArgumentException wrong(String spec, String setting, String why) {
    return new IllegalArgumentException(
        setting
            + " takes an IP address of this machine, a network such as 10.0.0.0/24, an interface"
            + " name such as eth0, or 0.0.0.0 for every interface; was \""
            + spec
            + "\""
            + (why == null ? "" : ": " + why));
  }

  /**
   * Checks that a member that stays on loopback is not told to join members elsewhere: they could
   * never reach it back. Only IP literals are checked (a host name would need a look-up).
   *
   * @param setting how to open the member, for the message ({@code network(...)}, say)
   * @throws IllegalStateException naming the address and the setting
   */
  void checkMembers(List<String> members, String membersSetting, String setting) {
    if (kind != Kind.ADDRESS || !address.isLoopbackAddress()) {
      return;
    }
    for (String member : members) {
      String host = member.strip();
      if (host.startsWith("[")) {
        host = host.substring(1, Math.max(1, host.indexOf(']')));
      } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') >= 0) {
        host = host.substring(0, host.indexOf(':'));
      }
      if (!isLiteral(host)) {
        continue;
      }
      InetAddress a;
      try {
        a = InetAddress.getByName(host);
      } catch (UnknownHostException e) {
        continue;
      }
      if (!a.isLoopbackAddress()) {
        throw new IllegalStateException(
            membersSetting
                + " lists "
                + member
                + ", but this member listens on "
                + spec
                + " only, where no other machine reaches it: open it with "
                + setting
                + " (an address, a network such as 10.0.0.0/24, or an interface of this machine)");
      }
    }
  }

  /** Whether the member listens on every interface. */
  boolean any() {
    return kind == Kind.ANY;
  }

  /**
   * The one address of this machine to listen on, or null for every interface.
   *
   * @throws IllegalStateException if this machine has no such address, listing those it has
   */
  String resolve() {
    switch (kind) {
      case ANY:
        return null;
      case ADDRESS:
        try {
          if (address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null) {
            return address.getHostAddress();
          }
        } catch (SocketException e) {
          // listed below as no address
        }
        throw missing("is not an address of this machine");
      case CIDR:
        for (InetAddress a : localAddresses()) {
          if (inCidr(a)) {
            return a.getHostAddress();
          }
        }
        throw missing("holds no address of this machine");
      case INTERFACE:
      default:
        try {
          NetworkInterface ni = NetworkInterface.getByName(spec);
          if (ni != null) {
            List<InetAddress> addresses = Collections.list(ni.getInetAddresses());
            for (InetAddress a : addresses) {
              if (a instanceof Inet4Address) {
                return a.getHostAddress();
              }
            }
            for (InetAddress a : addresses) {
              if (!a.isLinkLocalAddress()) {
                return a.getHostAddress();
              }
            }
          }
        } catch (SocketException e) {
          // listed below as no such interface
        }
        throw missing(
            "is no interface of this machine with an address (host names are not taken: give an"
                + " address, a network such as 10.0.0.0/24, or an interface name)");
    }
  }

  private IllegalStateException missing(String what) {
    return new IllegalStateException(
        "network "
            + spec
            + " "
            + what
            + "; this machine's addresses are "
            + localAddresses().stream().map(InetAddress::getHostAddress).toList());
  }

  boolean inCidr(InetAddress a) {
    byte[] net = address.getAddress();
    byte[] b = a.getAddress();
    if (b.length != net.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (net[i] != b[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (net[full] & mask) == (b[full] & mask);
  }

  private static List<InetAddress> localAddresses() {
    List<InetAddress> all = new ArrayList<>();
    try {
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        all.addAll(Collections.list(ni.getInetAddresses()));
      }
    } catch (SocketException e) {
      // none listed
    }
    return all;
  }

  @Override
  public String toString() {
    return spec;
  }
}
