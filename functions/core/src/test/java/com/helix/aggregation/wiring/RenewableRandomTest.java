package com.helix.aggregation.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RenewableRandomTest {

  @Test
  void givenARenewal_thenItDrawsFromTheNewGeneratorNotTheOldOnesContinuation() {
    AtomicLong seeds = new AtomicLong();
    RenewableRandom random =
        new RenewableRandom(() -> new SplittableRandom(seeds.getAndIncrement()));
    SplittableRandom snapshot = new SplittableRandom(0); // the generator a snapshot would hold
    assertThat(draw(random)).isEqualTo(draw(snapshot));

    random.renew();

    assertThat(random.renewals()).isEqualTo(1);
    assertThat(draw(random))
        .as("what every clone would draw next without the renewal")
        .isNotEqualTo(draw(snapshot))
        .isEqualTo(draw(new SplittableRandom(1)));
  }

  private static long[] draw(java.util.random.RandomGenerator generator) {
    return LongStream.generate(generator::nextLong).limit(4).toArray();
  }
}
