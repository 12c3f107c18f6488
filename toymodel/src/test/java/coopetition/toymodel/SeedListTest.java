package coopetition.toymodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import coopetition.common.UserInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeedListTest {

  @Test
  void rangesListsAndMixes() {
    assertEquals(List.of(0L, 1L, 2L, 3L), SeedList.parse("0-3", 1000));
    assertEquals(List.of(1L, 5L, 9L), SeedList.parse(" 1, 5 ,9 ", 1000));
    assertEquals(List.of(0L, 1L, 7L), SeedList.parse("0-1,7,", 1000));
    assertEquals(List.of(-2L), SeedList.parse("-2", 1000)); // a leading minus is a sign
  }

  @Test
  void badSpecsAreOneClearError() {
    assertThrows(UserInputException.class, () -> SeedList.parse("x-3", 1000));
    assertThrows(UserInputException.class, () -> SeedList.parse("5-2", 1000));
    // The library names the field; the app turns it into the flag (--seeds).
    UserInputException tooMany = assertThrows(UserInputException.class, () -> SeedList.parse("0-1000", 1000));
    assertEquals("seeds: range 0-1000 must be LO-HI with LO <= HI and at most 1000 seeds", tooMany.getMessage());
    assertEquals(java.util.Optional.of(SeedList.FIELD), tooMany.field());
    assertEquals("seeds: ',' names no seed", assertThrows(UserInputException.class, () -> SeedList.parse(",", 1000)).getMessage());
  }
}
