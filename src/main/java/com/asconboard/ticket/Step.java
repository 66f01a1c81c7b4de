package com.asconboard.ticket;

/** One of the five onboarding steps, its state and a short reason. */
public record Step(int number, String title, State state, String reason) {

    public enum State {
        DONE("✅"), WAITING("⏳"), PROBLEM("❌");

        private final String symbol;

        State(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }
}
