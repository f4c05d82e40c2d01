package dev.pool4j.internal.scheduler;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZ_Result;

/**
 * The exactly-once of {@link Chunk#report}: two reports of one run race for its {@link OneShot} (a
 * task that ends as the watchdog times it out, a worker process's receiver and its sender). Exactly
 * one wins, and afterwards the run reads as reported.
 */
@JCStressTest
@Description("Two threads claim one OneShot: exactly one gets true")
@Outcome(
    id = {"true, false, true", "false, true, true"},
    expect = ACCEPTABLE,
    desc = "one claim wins, the other is dropped")
@Outcome(id = "true, true, true", expect = FORBIDDEN, desc = "both won: a run reported twice")
@Outcome(expect = FORBIDDEN, desc = "none won, or the claim is not seen afterwards")
@State
public class OneShotClaimTest {

  private final OneShot shot = new OneShot();

  @Actor
  public void first(ZZZ_Result r) {
    r.r1 = shot.claim();
  }

  @Actor
  public void second(ZZZ_Result r) {
    r.r2 = shot.claim();
  }

  @Arbiter
  public void after(ZZZ_Result r) {
    r.r3 = shot.isTaken();
  }
}
