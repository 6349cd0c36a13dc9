package io.berth.engine.container;

import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Names for containers created without one, made as moby's namesgenerator makes them: an adjective and the surname
 * of a scientist or hacker, {@code admiring_hopper}; a digit is appended when the name is taken.
 */
final class NameGenerator {

    private static final List<String> LEFT = List.of("admiring", "adoring", "affectionate", "agitated", "amazing",
            "angry", "awesome", "beautiful", "blissful", "bold", "brave", "busy", "charming", "clever", "compassionate",
            "competent", "confident", "cool", "cranky", "crazy", "dazzling", "determined", "distracted", "dreamy",
            "eager", "ecstatic", "elastic", "elated", "elegant", "eloquent", "epic", "exciting", "fervent", "festive",
            "flamboyant", "focused", "friendly", "frosty", "funny", "gallant", "gifted", "goofy", "gracious", "great",
            "happy", "hardcore", "heuristic", "hopeful", "hungry", "infallible", "inspiring", "intelligent",
            "interesting", "jolly", "jovial", "keen", "kind", "laughing", "loving", "lucid", "magical", "modest",
            "musing", "mystifying", "naughty", "nervous", "nice", "nifty", "nostalgic", "objective", "optimistic",
            "peaceful", "pedantic", "pensive", "practical", "priceless", "quirky", "quizzical", "recursing",
            "relaxed", "reverent", "romantic", "sad", "serene", "sharp", "silly", "sleepy", "stoic", "strange",
            "stupefied", "suspicious", "sweet", "tender", "thirsty", "trusting", "unruffled", "upbeat", "vibrant",
            "vigilant", "vigorous", "wizardly", "wonderful", "xenodochial", "youthful", "zealous", "zen");

    private static final List<String> RIGHT = List.of("agnesi", "albattani", "allen", "archimedes", "babbage",
            "banach", "bardeen", "bartik", "bell", "bhabha", "blackwell", "bohr", "booth", "borg", "bose", "brahmagupta",
            "brattain", "brown", "carson", "cerf", "chandrasekhar", "chaplygin", "curie", "darwin", "davinci",
            "dijkstra", "einstein", "elion", "engelbart", "euclid", "euler", "faraday", "fermat", "fermi", "feynman",
            "franklin", "galileo", "gauss", "goldberg", "goodall", "hamilton", "hawking", "heisenberg", "hodgkin",
            "hopper", "hypatia", "jackson", "jang", "jennings", "kalam", "kapitsa", "kepler", "knuth", "kowalevski",
            "lalande", "lamport", "leakey", "liskov", "lovelace", "lumiere", "mayer", "mccarthy", "mcclintock",
            "meitner", "mendel", "minsky", "mirzakhani", "montalcini", "moore", "morse", "napier", "nash", "newton",
            "nobel", "noether", "pascal", "pasteur", "payne", "perlman", "pike", "poincare", "ptolemy", "raman",
            "ramanujan", "ritchie", "rosalind", "sammet", "shannon", "shaw", "shirley", "sinoussi", "stonebraker",
            "swartz", "tesla", "thompson", "torvalds", "turing", "varahamihira", "villani", "wescoff", "wilbur",
            "wiles", "williams", "wing", "wozniak", "wright", "yalow", "yonath");

    private static final int ATTEMPTS = 10;

    private final Random random;

    NameGenerator() {
        this(new SecureRandom());
    }

    NameGenerator(Random random) {
        this.random = random;
    }

    /** A name {@code taken} says is free. */
    String generate(Predicate<String> taken) {
        for (int attempt = 0; ; attempt++) {
            String name = LEFT.get(random.nextInt(LEFT.size())) + "_" + RIGHT.get(random.nextInt(RIGHT.size()));
            if (name.equals("boring_wozniak")) {
                continue; // Steve Wozniak is not boring (moby's own exception)
            }
            if (attempt >= ATTEMPTS) {
                name += random.nextInt(10);
            }
            if (attempt >= ATTEMPTS * 10) {
                name += "_" + Long.toHexString(random.nextLong() & Long.MAX_VALUE);
            }
            if (!taken.test(name)) {
                return name;
            }
        }
    }
}
