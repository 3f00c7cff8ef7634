"""Train the tiny example model (illustrative training code for the openscope example)."""

import json


def main() -> None:
    """Run 20 steps of gradient descent on the tiny corpus."""
    config = json.load(open("config.json"))
    learning_rate = 0.1
    for step in range(20):
        loss = 1.0 / (step + 1)  # stands in for loss.backward() and optimizer.step()
        print(f"step {step} loss {loss:.3f} lr {learning_rate} hidden {config['hidden_size']}")


if __name__ == "__main__":
    main()
