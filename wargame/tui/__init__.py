"""The full-screen table (Textual): play, White cell and replay. Display and input only, over
the one game loop; imported only by the commands that open the full screen."""
